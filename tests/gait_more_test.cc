// Effort, limits, angular velocity, mimic and shaping measures; the mjcf env; the motion pose.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "sinew/core/config_composer.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/gait_env.h"
#include "sinew/sim/measures/all_measures.h"

namespace sinew {
namespace {

Config compose(const std::vector<std::string>& overrides) {
  ConfigComposer composer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs");
  return composer.compose(overrides);
}

// Wang 2012 by hand: u = a = 1, s = 0.5, l = 1 (g = 1), isometric:
//   f_a = 40 * 0.5 * 1 + 133 * 0.5 * 1 = 86.5;  f_m = 74 * 0.5 + 111 * 0.5 = 92.5
//   rate = mass * (86.5 + 92.5) = 179 W/kg of muscle.
// Shortening at 0.1 m/s with F = 1000 N, F_active = 800 N adds 0.25*1000*0.1 + 800*0.1 = 105 W.
TEST(MetabolicMeasure, MatchesWang2012ByHand) {
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, 0, 1000, 800, 1.0), 179.0, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, -0.1, 1000, 800, 1.0), 179.0 + 105.0,
              1e-9);
  // lengthening adds nothing; g(l) = 0 beyond 1.5 leaves only activation heat
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, 0.2, 1000, 800, 1.0), 179.0, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.6, 0, 0, 0, 2.0), 2 * 86.5, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(0, 0, 1.0, 0, 0, 0, 1.0), 0.0, 1e-12);
  // muscle mass: F_max / 0.25 MPa * l_opt * 1059.7 kg/m^3
  MuscleParameters p;
  p.max_isometric_force_N = 2500;
  p.optimal_fiber_length_m = 0.1;
  EXPECT_NEAR(MetabolicMeasure::muscle_mass_kg(p), 0.01 * 0.1 * 1059.7, 1e-12);
}

TEST(GaitMeasures, DofLimitAngularVelocityAndShaping) {
  std::vector<std::string> names = {"pelvis_tx", "ankle_angle_r"};
  std::vector<double> q = {0, 70 * M_PI / 180};
  GaitSample s;
  s.dof_names = names;
  s.dof_positions = q;
  DofLimitMeasure limit("ankle_angle_r", -60 * M_PI / 180, 60 * M_PI / 180, /*squared=*/true);
  EXPECT_NEAR(limit.value(s), std::pow(10 * M_PI / 180, 2), 1e-12);
  s.torso_angular_velocity_radps = {3, 0, 4};
  EXPECT_NEAR(AngularVelocityMeasure(-1, false).value(s), 5.0, 1e-12);
  EXPECT_NEAR(AngularVelocityMeasure(2, true).value(s), 16.0, 1e-12);
  // SCONE rule: threshold 1, transition 0.5
  MeasureShaping shaping{0, 1.0, 0.5};
  EXPECT_DOUBLE_EQ(shaping.apply(0.9), 0.0);
  EXPECT_NEAR(shaping.apply(1.2), 1.2 * 0.2 / 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(shaping.apply(2.0), 2.0);
  EXPECT_DOUBLE_EQ((MeasureShaping{0.5, 0, 0}).apply(1.0), 1.5);
}

TEST(MimicMeasure, ErrorIsZeroOnTheReferenceAndEndsPastTheLimit) {
  MotionTable ref("ref", {"knee_angle_r"}, /*in_degrees=*/true);
  ref.add_row(0.0, {-10});
  ref.add_row(1.0, {-30});
  MimicMeasure mimic(ref, 0, /*average_limit=*/0, /*peak_limit=*/0.05);
  std::vector<std::string> names = {"pelvis_tx", "knee_angle_r"};
  std::vector<double> q = {5.0, -20 * M_PI / 180};
  GaitSample s;
  s.dof_names = names;
  s.dof_positions = q;
  s.time_s = 0.5;
  EXPECT_NEAR(mimic.value(s), 0.0, 1e-12);  // pelvis_tx is never tracked
  EXPECT_FALSE(mimic.terminate());
  q[1] = -40 * M_PI / 180;                   // 20 deg off: 0.1218 rad^2 > 0.05
  EXPECT_NEAR(mimic.value(s), std::pow(20 * M_PI / 180, 2), 1e-12);
  EXPECT_TRUE(mimic.terminate());
  mimic.reset();
  EXPECT_FALSE(mimic.terminate());
}

TEST(GaitEnv, MimicTermEndsEpisodesThatLeaveTheReference) {
  EnvFactory factory(compose({"env=gait", "+env.reward.mimic.measure=mimic",
                              "+env.reward.mimic.weight=-1.0",
                              "+env.reward.mimic.file=normative_walk.sto",
                              "+env.reward.mimic.activation_weight=0",
                              "+env.reward.mimic.average_limit=0",
                              "+env.reward.mimic.peak_limit=0.3"}));
  auto env = factory.make();
  std::vector<float> obs(121), action(18, 0.5f);
  env->reset(1, obs);
  int steps = 0;
  StepResult r;
  while (!r.done() && steps < 1000) {
    r = env->step(action, obs);
    ++steps;
  }
  EXPECT_TRUE(r.terminated);
  std::map<std::string, double> metrics;
  env->episode_metrics(&metrics);
  EXPECT_LT(metrics["reward/mimic"], 0.0);
}

TEST(GaitEnv, MotionInitialPoseStartsMidStrideOnTheGround) {
  EnvFactory factory(compose({"env=gait", "env.init_pose=motion", "env.position_noise=0",
                              "env.velocity_noise=0", "env.random_swap=false"}));
  auto env = factory.make();
  auto* gait = dynamic_cast<GaitEnv*>(env.get());
  std::vector<float> obs(121);
  env->reset(4, obs);
  const mjData* d = gait->data();
  EXPECT_NEAR(d->qvel[0], 1.2, 0.05);  // walking speed of the reference
  // the two legs are in different phases, and the lowest foot touches the ground
  EXPECT_GT(std::fabs(d->qpos[3] - d->qpos[6]), 0.05);
  double lowest = 1e9;
  for (const char* g : {"heel_r", "toe_r", "heel_l", "toe_l"}) {
    int id = mj_name2id(gait->model(), mjOBJ_GEOM, g);
    lowest = std::min(lowest, d->geom_xpos[3 * id + 2] - 0.03);
  }
  EXPECT_NEAR(lowest, 0.0, 1e-6);
}

TEST(MjcfEnv, RunsMujocosSampleHumanoid) {
  EnvFactory factory(compose({"env=mjcf", "env.model=/usr/share/mujoco/model/humanoid/humanoid.xml"}));
  const EnvSpec& spec = factory.spec();
  EXPECT_EQ(spec.action_dim, 21);
  EXPECT_EQ(spec.obs_dim, 28 - 2 + 27);
  auto a = factory.make(), b = factory.make();
  std::vector<float> oa(spec.obs_dim), ob(spec.obs_dim), action(spec.action_dim);
  a->reset(9, oa);
  b->reset(9, ob);
  EXPECT_EQ(oa, ob);
  int steps = 0;
  StepResult r;
  while (!r.done() && steps < 2000) {
    for (int i = 0; i < spec.action_dim; ++i) action[i] = std::sin(0.1f * steps + i);
    r = a->step(action, oa);
    StepResult rb = b->step(action, ob);
    ASSERT_EQ(oa, ob);
    ASSERT_EQ(r.reward, rb.reward);
    for (float x : oa) ASSERT_TRUE(std::isfinite(x));
    ++steps;
  }
  EXPECT_TRUE(r.terminated);  // an uncontrolled humanoid falls below 1 m
  std::map<std::string, double> metrics;
  a->episode_metrics(&metrics);
  EXPECT_EQ(metrics["fall_rate"], 1.0);
}

}  // namespace
}  // namespace sinew
