// How a [-1, 1] policy's actions reach a muscle-driven env: mapped linearly onto the env's
// bounds, or (algo.action_mapping=clip, DEP-RL) passed as they are and clipped by the env, so
// an output <= 0 silences a muscle.
#include <gtest/gtest.h>

#include <filesystem>

#include "sinew/core/config_composer.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {

Config compose(const std::vector<std::string>& overrides) {
  return ConfigComposer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs").compose(overrides);
}

TEST(ActionMapping, DepRlWalkerClipsAndOtherRunsMapLinearly) {
  EXPECT_TRUE(clip_action_mapping(compose({"experiment=gait_walk"})));
  EXPECT_FALSE(clip_action_mapping(compose({"experiment=pendulum_mpo"})));
  EXPECT_FALSE(
      clip_action_mapping(compose({"experiment=gait_walk", "algo.action_mapping=linear"})));
  EXPECT_FALSE(clip_action_mapping(compose({"experiment=gait_track_ppo"})));  // PPO: no key
}

TEST(ActionMapping, ClippedOutputsAtOrBelowZeroSilenceTheMuscle) {
  EnvFactory factory(compose({"experiment=gait_walk"}));
  auto env = factory.make();
  const int A = factory.spec().action_dim;
  std::vector<float> obs(factory.spec().obs_dim), action(A);
  env->reset(1, obs);
  // half the muscles get a negative output, half one above the bound
  for (int j = 0; j < A; ++j) action[j] = j % 2 ? -0.7f : 0.9f;
  env->step(action, obs);
  // observation block 4 (after fiber length, velocity, force) holds the excitations
  for (int j = 0; j < A; ++j) {
    EXPECT_FLOAT_EQ(obs[3 * A + j], j % 2 ? 0.0f : 0.5f) << j;
  }
  // the linear map would have sent the same outputs to 0.075 and 0.475
  EXPECT_FLOAT_EQ(factory.spec().from_unit(0, -0.7f), 0.075f);
  EXPECT_FLOAT_EQ(factory.spec().from_unit(0, 0.9f), 0.475f);
}

}  // namespace
}  // namespace sinew
