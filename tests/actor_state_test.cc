// An actor's state in a checkpoint: a simulation's envs continue their episodes exactly; a world
// that keeps no state (Env::saves_state() false) is skipped and starts a fresh episode on resume.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "counter_env.h"
#include "shipped_config.h"
#include "sinew/core/config.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/param_copy.h"
#include "sinew/runtime/actor.h"
#include "sinew/runtime/local_actor_link.h"
#include "sinew/runtime/run_control.h"
#include "sinew/sim/env_factory.h"
#include "sinew/transport/local_block_queue.h"
#include "sinew/transport/local_param_store.h"
#include "wait_until.h"

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

// Parameters for an actor's policy, published where the actor reads them.
void publish_params(const ActorContext& context, const EnvMaker& envs, LocalParamStore* params) {
  ActorCritic model(context.policies[0].options);
  auto snapshot = std::make_shared<ParamSnapshot>();
  copy_params_out(*model, snapshot.get());
  snapshot->obs_normalizer = RunningNormalizer(envs.spec().obs_dim);
  params->publish(snapshot);
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

int64_t unix_ns_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Each step of a block carries the wall-clock time its action was sent: within the time the
// block took, in the order the envs were stepped.
TEST(ActorBlocks, EachStepCarriesTheWallClockTimeItsActionWasSent) {
  EnvFactory pendulum(shipped_config({"env=pendulum"}));
  ActorContext context = context_for(pendulum);
  LocalParamStore params;
  publish_params(context, pendulum, &params);
  LocalBlockQueue queue(4);
  RunControl control(1);
  RunCounters counters;
  context.policies[0].params = &params;
  context.blocks = &queue;
  Actor actor(0, /*num_envs=*/3, /*rollout_length=*/8, /*seed=*/5, context,
              std::make_unique<LocalActorLink>(0, control, counters, 0, nullptr));
  const int64_t before = unix_ns_now();
  std::thread acting([&] { actor.run(); });
  auto block = queue.receive(std::chrono::seconds(60));
  const int64_t after = unix_ns_now();
  control.stop();
  queue.close();
  acting.join();
  ASSERT_TRUE(block.has_value());
  ASSERT_EQ(block->step_time_ns.size(), static_cast<std::size_t>(block->num_steps()));
  for (int64_t row = 0; row < block->num_steps(); ++row) {
    EXPECT_GE(block->step_time_ns[row], before) << row;
    EXPECT_LE(block->step_time_ns[row], after) << row;
    if (row > 0) EXPECT_GE(block->step_time_ns[row], block->step_time_ns[row - 1]) << row;
  }
  EXPECT_GT(block->step_time_ns.back(), block->step_time_ns.front());
}

// An actor waiting for room in the queue pauses its world once the wait lasts
// runtime.pause_envs_after_s (a live world then sends its neutral action instead of holding the
// last one), steps nothing while it is paused, resumes it before its next step, and books what
// it sent in the run's counts.
TEST(ActorWaits, PausesItsWorldWhileTheQueueIsFullAndResumesItBeforeTheNextStep) {
  testing::CounterMaker counter;
  ActorContext context = context_for(counter);
  LocalParamStore params;
  publish_params(context, counter, &params);
  LocalBlockQueue queue(/*capacity=*/1);
  RunControl control(1);
  RunCounters counters;
  context.policies[0].params = &params;
  context.blocks = &queue;
  context.pause_envs_after_s = 0.05;
  Actor actor(0, /*num_envs=*/2, /*rollout_length=*/5, /*seed=*/1, context,
              std::make_unique<LocalActorLink>(0, control, counters, 0, nullptr));
  std::thread acting([&] { actor.run(); });
  const testing::WorldEvents& events = *counter.events;
  // the first block fills the queue; the second waits, and its worlds pause
  ASSERT_TRUE(testing::wait_until([&] { return events.pauses.load() == 2; }));
  EXPECT_EQ(events.resumes.load(), 0);
  EXPECT_EQ(counters.env_steps.load(), 10);
  EXPECT_EQ(counters.episodes.load(), 2) << "5 steps per episode, two envs";
  ASSERT_TRUE(queue.receive(std::chrono::seconds(10)).has_value());
  // room again: the waiting block goes, and the worlds resume before the third block steps
  ASSERT_TRUE(testing::wait_until([&] { return events.resumes.load() == 2; }));
  ASSERT_TRUE(testing::wait_until([&] { return counters.env_steps.load() >= 20; }));
  control.stop();
  queue.close();
  acting.join();
  EXPECT_EQ(events.steps_while_paused.load(), 0);
  EXPECT_EQ(*counter.closes, 2) << "a stopped actor closes its envs";
}

}  // namespace
}  // namespace sinew
