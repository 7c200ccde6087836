// The gait env's walking-task pieces: starting from the reference at a phase, the phase
// observation, tracking terms read at that phase, per-joint soft limits, lean termination and
// the push.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "mujoco_warning_fixture.h"
#include "sinew/core/config_composer.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/gait/gait_env.h"

namespace sinew {
namespace {

// Every test fails on any MuJoCo warning its envs raised (tests/mujoco_warning_fixture.h).
class GaitEnvReferenceTest : public testing::MujocoWarningTest {};

constexpr double kDeg = M_PI / 180;

Config gait_config(const std::vector<std::string>& extra) {
  ConfigComposer composer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs");
  std::vector<std::string> overrides = {"env=gait"};
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return composer.compose(overrides);
}

const std::vector<std::string> kFromReference = {
    "env.init_pose=motion", "env.phase_observation=true", "env.position_noise=0",
    "env.velocity_noise=0", "env.random_swap=false"};

TEST_F(GaitEnvReferenceTest, StartsInTheReferenceStateAtThePhaseItObserves) {
  EnvFactory factory(gait_config(kFromReference));
  ASSERT_EQ(factory.spec().obs_dim, 123);
  Env* env = &keep(factory.make());
  auto* gait = dynamic_cast<GaitEnv*>(env);
  ReferenceMotion reference(MotionTable::read(resolve_motion_path("normative_walk.sto")));
  std::vector<float> obs(123);
  std::vector<double> phases;
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    env->reset(seed, obs);
    // the phase from the observation's sin and cos
    double phase = std::atan2(obs[121], obs[122]) / (2 * M_PI);
    if (phase < 0) phase += 1;
    phases.push_back(phase);
    const double t = phase * reference.period_s();
    const mjData* d = gait->data();
    const mjModel* m = gait->model();
    for (const char* joint : {"pelvis_tilt", "hip_flexion_r", "knee_angle_r", "ankle_angle_r",
                              "hip_flexion_l", "knee_angle_l", "ankle_angle_l"}) {
      const int j = mj_name2id(m, mjOBJ_JOINT, joint);
      EXPECT_NEAR(d->qpos[m->jnt_qposadr[j]], reference.value(joint, t), 1e-4) << joint << seed;
      EXPECT_NEAR(d->qvel[m->jnt_dofadr[j]], reference.rate(joint, t), 1e-2) << joint << seed;
    }
    EXPECT_NEAR(d->qvel[0], reference.rate("pelvis_tx", t), 1e-6);
  }
  // different seeds start at different phases
  EXPECT_GT(*std::max_element(phases.begin(), phases.end()) -
                *std::min_element(phases.begin(), phases.end()),
            0.1);
}

TEST_F(GaitEnvReferenceTest, PhaseAdvancesWithTheControlStep) {
  EnvFactory factory(gait_config(kFromReference));
  Env* env = &keep(factory.make());
  std::vector<float> obs(123), action(18, 0.1f);
  env->reset(3, obs);
  const double before = std::atan2(obs[121], obs[122]);
  env->step(action, obs);
  double advance = std::atan2(obs[121], obs[122]) - before;
  if (advance < 0) advance += 2 * M_PI;
  EXPECT_NEAR(advance, 2 * M_PI * factory.spec().control_dt_s / 2.2, 1e-5);  // 2.2 s table
}

TEST_F(GaitEnvReferenceTest, TrackingIsNearOneAtTheStartAndEndsFarFromTheReference) {
  EnvFactory factory(
      gait_config({"experiment=gait_track_ppo", "env.position_noise=0", "env.velocity_noise=0"}));
  Env* env = &keep(factory.make());
  std::vector<float> obs(123), zero(18, 0.0f);
  env->reset(8, obs);
  StepResult r = env->step(zero, obs);
  EXPECT_GT(r.reward, 0.8);  // one 20 ms step after starting on the reference (best 1)
  int steps = 1;
  while (!r.done()) {
    r = env->step(zero, obs);
    ++steps;
  }
  // a limp body leaves the walking pattern: the tracking error ends the episode early
  EXPECT_TRUE(r.terminated);
  EXPECT_LT(steps, 100);
  std::map<std::string, double> metrics;
  env->episode_metrics(&metrics);
  EXPECT_EQ(metrics["fall_rate"], 0.0) << "ended by the tracking error, not by a fall";
}

TEST_F(GaitEnvReferenceTest, StandingShareStartsStanding) {
  std::vector<std::string> overrides = kFromReference;
  overrides.push_back("env.standing_start_fraction=1");
  EnvFactory factory(gait_config(overrides));
  Env* env = &keep(factory.make());
  auto* gait = dynamic_cast<GaitEnv*>(env);
  std::vector<float> obs(123);
  env->reset(2, obs);
  EXPECT_EQ(gait->data()->qvel[0], 0.0);
  EXPECT_NEAR(obs[121], 0.0f, 1e-6);  // phase 0
  EXPECT_NEAR(obs[122], 1.0f, 1e-6);
}

// Gait initiation: after a standing start, env.start_ramp blends the tracked targets from the
// standing pose into the reference, so standing still is what the first steps ask for.
TEST_F(GaitEnvReferenceTest, StartRampTracksFromStandingIntoTheReference) {
  auto first_reward = [this](const std::string& ramp) {
    EnvFactory factory(
        gait_config({"experiment=gait_track_ppo", "env.init_pose=stand", "env.position_noise=0",
                     "env.velocity_noise=0", "env.start_ramp=" + ramp}));
    Env* env = &keep(factory.make());
    std::vector<float> obs(123), zero(18, 0.0f);
    env->reset(4, obs);
    return env->step(zero, obs).reward;
  };
  // standing still matches the ramp's start (the best reward is 1)
  EXPECT_GT(first_reward("1.0"), 0.9);
  // without it, the first step is compared with the walking reference at 1.3 m/s
  EXPECT_LT(first_reward("0"), 0.7);
}

TEST_F(GaitEnvReferenceTest, StartRampSurvivesASavedState) {
  EnvFactory factory(
      gait_config({"experiment=gait_track_ppo", "env.init_pose=stand", "env.start_ramp=1.0"}));
  Env* a = &keep(factory.make());
  Env* b = &keep(factory.make());
  std::vector<float> obs_a(123), obs_b(123), action(18, 0.05f);
  a->reset(6, obs_a);
  for (int i = 0; i < 10; ++i) a->step(action, obs_a);
  b->load_state(a->save_state(), "test");
  for (int i = 0; i < 10; ++i) {
    const StepResult ra = a->step(action, obs_a);
    const StepResult rb = b->step(action, obs_b);
    ASSERT_EQ(ra.reward, rb.reward) << i;  // the same blend, hence the same targets
  }
}

TEST_F(GaitEnvReferenceTest, KneeLimitUsesItsOwnStiffnessAndDamping) {
  EnvFactory factory(
      gait_config({"env.joint_limits.knee.stiffness=115", "env.joint_limits.knee.damping=2.9",
                   "env.position_noise=0", "env.velocity_noise=0"}));
  Env* env = &keep(factory.make());
  auto* gait = dynamic_cast<GaitEnv*>(env);
  std::vector<float> obs(121), zero(18, 0.0f);
  env->reset(1, obs);
  auto* d = const_cast<mjData*>(gait->data());
  const mjModel* m = gait->model();
  const int knee = mj_name2id(m, mjOBJ_JOINT, "knee_angle_r");
  const int hip = mj_name2id(m, mjOBJ_JOINT, "hip_flexion_r");
  // 10 deg past the knee's upper limit (-5 deg), extending at 1 rad/s; the hip 10 deg past its
  // lower limit (-30 deg)
  d->qpos[m->jnt_qposadr[knee]] = 5 * kDeg;
  d->qvel[m->jnt_dofadr[knee]] = 1.0;
  d->qpos[m->jnt_qposadr[hip]] = -40 * kDeg;
  d->qvel[m->jnt_dofadr[hip]] = 0.0;
  mj_forward(m, d);
  env->step(zero, obs);
  // the first physics step of that control step saw exactly the state above; after 5 steps
  // the torque is still within a few percent of it
  const auto& torques = gait->limit_torques_Nm();  // hip, knee, ankle per leg, right first
  EXPECT_NEAR(torques[1], -(115 * 10 * kDeg + 2.9 * 1.0), 6.0);
  EXPECT_NEAR(torques[0], 500 * 10 * kDeg, 30.0);
}

TEST_F(GaitEnvReferenceTest, LeaningTooFarEndsTheEpisode) {
  std::vector<std::string> overrides = kFromReference;
  overrides.push_back("env.max_torso_lean_deg=5");
  overrides.push_back("env.init_pose=stand");
  EnvFactory factory(gait_config(overrides));
  Env* env = &keep(factory.make());
  auto* gait = dynamic_cast<GaitEnv*>(env);
  std::vector<float> obs(123), zero(18, 0.0f);
  env->reset(1, obs);
  auto* d = const_cast<mjData*>(gait->data());
  d->qpos[2] = -20 * kDeg;  // pelvis_tilt about -y: negative tilts the trunk forward
  StepResult r = env->step(zero, obs);
  EXPECT_TRUE(r.terminated);
  std::map<std::string, double> metrics;
  env->episode_metrics(&metrics);
  EXPECT_EQ(metrics["fall_rate"], 1.0);
}

// The centre of mass's forward velocity after `steps` control steps of a passive body started
// mid-stride (seed), pushed with `impulse` N s from the first right mid-stance on.
double forward_velocity_after(uint64_t seed, double impulse, int steps, bool* pushed) {
  EnvFactory factory(
      gait_config({"env.init_pose=motion", "env.position_noise=0", "env.velocity_noise=0",
                   "env.random_swap=false", "env.push.after_s=0", "env.push.duration_s=0.02",
                   "env.push.impulse_Ns=" + std::to_string(impulse)}));
  auto owned = factory.make();
  Env* env = owned.get();
  auto* gait = dynamic_cast<GaitEnv*>(env);
  std::vector<float> obs(121), action(18, 0.05f);
  env->reset(seed, obs);
  *pushed = false;
  for (int t = 0; t < steps; ++t) {
    env->step(action, obs);
    *pushed |= gait->data()->xfrc_applied[6 * mj_name2id(gait->model(), mjOBJ_BODY, "pelvis")] != 0;
  }
  EXPECT_EQ(testing::mujoco_warnings(gait->data()), "") << "MuJoCo warnings raised";
  auto* d = const_cast<mjData*>(gait->data());
  mj_subtreeVel(gait->model(), d);
  return d->subtree_linvel[0];  // the world body's subtree: the whole body
}

TEST_F(GaitEnvReferenceTest, PushAddsItsImpulseAtMidStance) {
  const double mass = 74.53;
  int pushed_episodes = 0;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    bool pushed = false, unpushed = false;
    const double with = forward_velocity_after(seed, 20.0, 8, &pushed);
    const double without = forward_velocity_after(seed, 0.0, 8, &unpushed);
    EXPECT_FALSE(unpushed);
    if (!pushed) {
      EXPECT_NEAR(with, without, 1e-9) << seed;
      continue;
    }
    ++pushed_episodes;
    // the body gains about impulse / mass (the ground's friction takes some)
    EXPECT_GT(with - without, 0.5 * 20.0 / mass) << seed;
    EXPECT_LT(with - without, 1.1 * 20.0 / mass) << seed;
  }
  EXPECT_GT(pushed_episodes, 0);
}

}  // namespace
}  // namespace sinew
