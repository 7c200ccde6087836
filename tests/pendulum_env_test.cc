#include "sinew/sim/pendulum/pendulum_env.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "mujoco_warning_fixture.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/env/env_bench.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/pendulum/pendulum_entry.h"

namespace sinew {
namespace {

Config pendulum_config(const std::vector<std::string>& overrides = {}) {
  ConfigComposer composer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs");
  auto all = overrides;
  all.insert(all.begin(), "env=pendulum");
  return composer.compose(all);
}

// configs/env/pendulum.yaml's settings
PendulumEnv::Options shipped_options() { return pendulum_options(pendulum_config()); }

// Runs one episode with a fixed action sequence and returns every observation and reward.
std::vector<float> rollout(Env& env, uint64_t seed, int steps) {
  std::vector<float> trace, obs(env.spec().obs_dim);
  env.reset(seed, obs);
  trace.insert(trace.end(), obs.begin(), obs.end());
  for (int t = 0; t < steps; ++t) {
    float action = std::sin(0.1f * t);
    StepResult r = env.step(std::span<const float>(&action, 1), obs);
    trace.insert(trace.end(), obs.begin(), obs.end());
    trace.push_back(r.reward);
  }
  return trace;
}

// fails the test on any MuJoCo warning in the envs it keeps (the class under test is
// sinew::PendulumEnv)
class PendulumEnv : public testing::MujocoWarningTest {};

TEST_F(PendulumEnv, SameSeedGivesTheSameEpisodeInEveryEnv) {
  EnvFactory factory(pendulum_config());
  Env *a = &keep(factory.make()), *b = &keep(factory.make());
  EXPECT_EQ(rollout(*a, 42, 150), rollout(*b, 42, 150));
  EXPECT_EQ(rollout(*a, 42, 150), rollout(*a, 42, 150));  // and again after a reset
  EXPECT_NE(rollout(*a, 42, 150), rollout(*a, 43, 150));
}

TEST_F(PendulumEnv, SpecMatchesTheModel) {
  EnvFactory factory(pendulum_config());
  const EnvSpec& spec = factory.spec();
  EXPECT_EQ(spec.obs_dim, 3);
  EXPECT_EQ(spec.action_dim, 1);
  EXPECT_FALSE(spec.is_discrete());
  EXPECT_NEAR(spec.control_dt_s, 0.05, 1e-12);
  EXPECT_EQ(spec.max_episode_steps, 200);
}

TEST_F(PendulumEnv, TimeLimitTruncatesWithoutTerminating) {
  EnvFactory factory(pendulum_config({"env.max_episode_steps=30"}));
  Env* env = &keep(factory.make());
  std::vector<float> obs(3);
  env->reset(1, obs);
  float action = 0;
  for (int t = 1; t <= 30; ++t) {
    StepResult r = env->step(std::span<const float>(&action, 1), obs);
    EXPECT_FALSE(r.terminated);
    EXPECT_EQ(r.truncated, t == 30) << t;
    EXPECT_LE(r.reward, 0.0f);
  }
}

TEST_F(PendulumEnv, TorqueCannotHoldThePoleHorizontal) {
  // gravity torque at horizontal is m g l / 2 = 4.9 N m, the motor gives 2 N m: it falls
  auto model = MujocoModel::load(resolve_model_path("pendulum.xml"));
  sinew::PendulumEnv& env = keep(std::make_unique<sinew::PendulumEnv>(model, shipped_options()));
  std::vector<float> obs(3);
  env.reset(3, obs);
  mjData* d = const_cast<mjData*>(env.data());
  d->qpos[0] = M_PI / 2;
  d->qvel[0] = 0;
  float push_back = -1.0f;  // full torque against the fall
  for (int t = 0; t < 10; ++t) env.step(std::span<const float>(&push_back, 1), obs);
  EXPECT_GT(env.data()->qpos[0], M_PI / 2 + 0.1);
}

TEST_F(PendulumEnv, UprightFractionCountsTheSecondHalf) {
  auto model = MujocoModel::load(resolve_model_path("pendulum.xml"));
  sinew::PendulumEnv::Options options = shipped_options();
  options.max_episode_steps = 20;
  sinew::PendulumEnv& env = keep(std::make_unique<sinew::PendulumEnv>(model, options));
  std::vector<float> obs(3);
  env.reset(0, obs);
  // start exactly upright and at rest: it stays within 0.2 rad with zero torque for 1 s
  mjData* d = const_cast<mjData*>(env.data());
  d->qpos[0] = 0;
  d->qvel[0] = 0;
  float zero = 0;
  for (int t = 0; t < 20; ++t) env.step(std::span<const float>(&zero, 1), obs);
  std::map<std::string, double> metrics;
  env.episode_metrics(&metrics);
  EXPECT_DOUBLE_EQ(metrics.at("upright_fraction"), 1.0);
}

TEST_F(PendulumEnv, DiscreteActionsMapToEvenlySpacedTorques) {
  EnvFactory factory(pendulum_config({"env.action_bins=5"}));
  EXPECT_TRUE(factory.spec().is_discrete());
  EXPECT_EQ(factory.spec().num_actions, 5);
  Env* env = &keep(factory.make());
  std::vector<float> obs(3);
  env->reset(0, obs);
  float index = 4;  // +1 -> +2 N m
  env->step(std::span<const float>(&index, 1), obs);
  auto* mj = dynamic_cast<MujocoEnv*>(env);
  ASSERT_NE(mj, nullptr);
  EXPECT_NEAR(mj->data()->qfrc_actuator[0], 2.0, 1e-9);
}

TEST_F(PendulumEnv, ActionsAreClippedAndNanIsSafe) {
  EnvFactory factory(pendulum_config());
  Env* env = &keep(factory.make());
  std::vector<float> obs(3);
  env->reset(0, obs);
  float huge = 1e9f;
  env->step(std::span<const float>(&huge, 1), obs);
  auto* mj = dynamic_cast<MujocoEnv*>(env);
  EXPECT_NEAR(mj->data()->qfrc_actuator[0], 2.0, 1e-9);
  float nan = NAN;
  StepResult r = env->step(std::span<const float>(&nan, 1), obs);
  EXPECT_TRUE(std::isfinite(r.reward));
}

TEST(MujocoEnv, DivergingSimulationEndsTheEpisodeAndIsCounted) {
  // a free-spinning hinge with an absurd motor: velocities overflow within a few steps
  auto model = MujocoModel::from_xml(R"(
    <mujoco>
      <option timestep="0.01"/>
      <worldbody><body><joint name="hinge" type="hinge" axis="0 1 0"/>
        <geom type="capsule" fromto="0 0 0 0 0 1" size="0.02" mass="1e-9"/></body></worldbody>
      <actuator><motor name="torque" joint="hinge" gear="1e300" ctrllimited="true"
                             ctrlrange="-1 1"/></actuator>
    </mujoco>)",
                                     "diverging");
  sinew::PendulumEnv env(model, shipped_options());
  std::vector<float> obs(3);
  env.reset(0, obs);
  float full = 1.0f;
  bool diverged = false;
  for (int t = 0; t < 50 && !diverged; ++t) {
    StepResult r = env.step(std::span<const float>(&full, 1), obs);
    diverged = r.diverged;
    if (diverged) {
      EXPECT_TRUE(r.terminated);
      for (float x : obs) EXPECT_TRUE(std::isfinite(x));
    }
  }
  EXPECT_TRUE(diverged);
  EXPECT_EQ(env.divergences(), 1);
  env.reset(1, obs);  // the env is usable again: a new episode steps without diverging
  for (float x : obs) EXPECT_TRUE(std::isfinite(x));
  EXPECT_NEAR(obs[0] * obs[0] + obs[1] * obs[1], 1.0f, 1e-4f) << "cos and sin of an angle";
  float none = 0.0f;
  for (int t = 0; t < 10; ++t) {
    StepResult r = env.step(std::span<const float>(&none, 1), obs);
    EXPECT_FALSE(r.diverged) << t;
    for (float x : obs) EXPECT_TRUE(std::isfinite(x));
  }
  EXPECT_EQ(env.divergences(), 1);
}

TEST(MujocoModel, BrokenFileNamesTheFileAndLine) {
  try {
    MujocoModel::from_xml(
        "<mujoco>\n<worldbody>\n<body><geom type=\"nonsense\"/></body>\n"
        "</worldbody>\n</mujoco>\n",
        "broken.xml");
    FAIL() << "no error";
  } catch (const UserError& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("broken.xml"), std::string::npos) << message;
    EXPECT_NE(message.find("line"), std::string::npos) << message;
  }
  EXPECT_THROW(MujocoModel::load("/nonexistent/model.xml"), UserError);
}

TEST(EnvBench, ReportsBothRatesAndTheirRatio) {
  EnvFactory factory(pendulum_config());
  EnvBenchResult r = bench_env(factory, 0.05, 1);
  EXPECT_GT(r.env_steps, 0);
  EXPECT_GT(r.raw_mj_steps, 0);
  EXPECT_NEAR(r.ratio, r.env_steps_per_second / r.raw_steps_per_second, 1e-9);
}

}  // namespace
}  // namespace sinew
