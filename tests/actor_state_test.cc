// An actor's state in a checkpoint: a simulation's envs continue their episodes exactly; a world
// that keeps no state (Env::saves_state() false) is skipped and starts a fresh episode on resume.
#include <gtest/gtest.h>

#include "counter_env.h"
#include "shipped_config.h"
#include "sinew/core/config.h"
#include "sinew/runtime/actor.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {

ActorContext context_for(const EnvMaker& envs) {
  ActorContext context;
  context.envs = &envs;
  context.policies.push_back(ActingPolicy{
      nullptr,
      ActorCriticOptions{
          .obs_dim = envs.spec().obs_dim, .action_dim = envs.spec().action_dim, .hidden = {4}},
      {},
      {}});
  return context;
}

TEST(ActorState, AWorldWithoutStateIsSkippedAndStartsAFreshEpisode) {
  testing::CounterMaker counter;
  EXPECT_FALSE(counter.make()->saves_state());
  Actor saved(0, 3, 8, 1, context_for(counter));
  std::string bytes;
  ASSERT_NO_THROW(bytes = saved.save_state());
  Actor resumed(0, 3, 8, 1, context_for(counter));
  EXPECT_NO_THROW(resumed.load_state(bytes, "actor_0.bin"));
  EXPECT_NO_THROW(resumed.save_state());
}

TEST(ActorState, ASimulationsStateRoundTrips) {
  EnvFactory pendulum(shipped_config({"env=pendulum"}));
  EXPECT_TRUE(pendulum.make()->saves_state());
  Actor saved(0, 2, 8, 3, context_for(pendulum));
  const std::string bytes = saved.save_state();
  Actor resumed(0, 2, 8, 3, context_for(pendulum));
  resumed.load_state(bytes, "actor_0.bin");
  EXPECT_EQ(resumed.save_state(), bytes);
}

}  // namespace
}  // namespace sinew
