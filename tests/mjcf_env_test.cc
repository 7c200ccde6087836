// MjcfEnv: any MJCF body as an env (MuJoCo's sample humanoid).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "mujoco_warning_fixture.h"
#include "sinew/core/config_composer.h"
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

}  // namespace
}  // namespace sinew
