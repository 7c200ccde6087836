// MjcfEnv: any MJCF body as an env (MuJoCo's sample humanoid).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "mujoco_warning_fixture.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/env/observation_parts.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {

Config compose(const std::vector<std::string>& overrides) {
  ConfigComposer composer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs");
  return composer.compose(overrides);
}

// fails the test on any MuJoCo warning in the envs it keeps
class MjcfEnv : public testing::MujocoWarningTest {};

TEST_F(MjcfEnv, RunsMujocosSampleHumanoid) {
  EnvFactory factory(
      compose({"env=mjcf", "env.model=/usr/share/mujoco/model/humanoid/humanoid.xml"}));
  const EnvSpec& spec = factory.spec();
  EXPECT_EQ(spec.action_dim, 21);
  EXPECT_EQ(spec.obs_dim, 28 - 2 + 27);
  EXPECT_NO_THROW(check_observation_parts(spec));  // one part per joint's qpos and qvel
  Env *a = &keep(factory.make()), *b = &keep(factory.make());
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

// Gymnasium's Walker2d-v4 task from ../shared/reference/mujoco-tasks as experiment=walker2d_ppo:
// 17 observations (qpos without the root x, qvel), 6 actions, 8 ms control, healthy ranges on
// the root's z slide and y hinge.
TEST_F(MjcfEnv, Walker2dTaskAsPublished) {
  EnvFactory factory(compose({"experiment=walker2d_ppo"}));
  const EnvSpec& spec = factory.spec();
  EXPECT_EQ(spec.obs_dim, 17);
  EXPECT_EQ(spec.action_dim, 6);
  EXPECT_NO_THROW(check_observation_parts(spec));
  EXPECT_NEAR(spec.control_dt_s, 0.008, 1e-12);
  Env& env = keep(factory.make());
  std::vector<float> obs(spec.obs_dim), action(spec.action_dim, 0.0f);
  env.reset(3, obs);
  EXPECT_NEAR(obs[0], 1.25, 5.01e-3);  // rootz first: rootx is hidden
  EXPECT_NEAR(obs[1], 0.0, 5.01e-3);   // rooty
  StepResult r;
  int steps = 0;
  double total = 0;
  while (!r.done()) {
    r = env.step(action, obs);
    total += r.reward;
    ++steps;
  }
  // a passive walker falls: the episode ends when the torso leaves its healthy ranges, and
  // every step, the last one too, paid the healthy reward of 1 (no control cost at zero action)
  ASSERT_TRUE(r.terminated);
  EXPECT_TRUE(obs[0] < 0.8 || std::abs(obs[1]) > 1.0) << obs[0] << " " << obs[1];
  std::map<std::string, double> metrics;
  env.episode_metrics(&metrics);
  EXPECT_NEAR(total, steps + metrics["distance"] / spec.control_dt_s, 1e-3);
}

TEST_F(MjcfEnv, UnknownOrMalformedJointSettingsAreConfigErrors) {
  auto error_of = [](const std::vector<std::string>& overrides) -> std::string {
    try {
      EnvFactory factory(compose(overrides));
    } catch (const ConfigError& e) {
      return e.key() + ": " + e.what();
    }
    return "";
  };
  std::string e = error_of({"experiment=walker2d_ppo", "env.hidden_joints=[rootq]"});
  EXPECT_NE(e.find("no joint 'rootq'"), std::string::npos) << e;
  EXPECT_NE(e.find("rootx"), std::string::npos) << e;  // the joints there are listed
  e = error_of(
      {"experiment=walker2d_ppo", "env.healthy_joints=[{joint: rooty, low: 1, high: -1}]"});
  EXPECT_NE(e.find("low 1 is above high -1"), std::string::npos) << e;
  e = error_of({"experiment=walker2d_ppo", "env.healthy_joints=[{joint: rooty, low: 1}]"});
  EXPECT_NE(e.find("expected a list of {joint"), std::string::npos) << e;
  e = error_of({"experiment=walker2d_ppo", "env.healthy_joints=[{joint: foo, low: 1, high: 2}]"});
  EXPECT_NE(e.find("no joint 'foo'"), std::string::npos) << e;
}

}  // namespace
}  // namespace sinew
