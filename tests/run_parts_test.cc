// The small shared parts of a training run: its clock (pauses excluded, earlier sessions
// included), the queue that hands control API commands to the control thread, and an actor's
// link to a run in the same process.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sinew/runtime/local_actor_link.h"
#include "sinew/runtime/run_clock.h"
#include "sinew/runtime/run_commands.h"
#include "wait_until.h"

namespace sinew {
namespace {
using Clock = std::chrono::steady_clock;

// Returns once `seconds` of wall time have passed (time is what is measured here).
void let_time_pass(double seconds) {
  const auto until = Clock::now() + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) std::this_thread::yield();
}

TEST(RunClock, CountsEarlierSessionsAndLeavesOutUserPauses) {
  RunClock clock;
  clock.set_base(100);
  clock.start();
  EXPECT_GE(clock.now_s(), 100.0);
  EXPECT_LT(clock.now_s(), 101.0);
  let_time_pass(0.03);
  const double before_pause = clock.now_s();
  EXPECT_GE(before_pause, 100.03);
  clock.pause();
  clock.pause();  // a second pause changes nothing
  EXPECT_TRUE(clock.paused());
  const double paused_at = clock.now_s();
  let_time_pass(0.05);
  // a paused clock stands still, while the session's wall time goes on
  EXPECT_NEAR(clock.now_s(), paused_at, 1e-6);
  EXPECT_GE(clock.session_s(), 0.08);
  clock.resume();
  clock.resume();
  EXPECT_FALSE(clock.paused());
  let_time_pass(0.03);
  const double after = clock.now_s();
  EXPECT_GE(after - paused_at, 0.03);
  // the 50 ms paused are not counted: the run clock is behind the session's wall time
  EXPECT_LE(after - 100, clock.session_s() - 0.05 + 1e-6);
}

TEST(RunCommands, TheControlThreadAnswersEachCommandInTheOrderSent) {
  RunCommands commands;
  std::vector<std::string> carried_out;
  std::atomic<int> answered{0};
  std::thread::id control_thread = std::this_thread::get_id(), ran_on;
  RunCommands::Reply pause_reply, checkpoint_reply;
  std::thread server([&] {
    pause_reply = commands.submit("pause");
    ++answered;
    checkpoint_reply = commands.submit("checkpoint");
    ++answered;
  });
  while (answered.load() < 2) {
    commands.handle([&](const std::string& name) -> RunCommands::Reply {
      carried_out.push_back(name);
      ran_on = std::this_thread::get_id();
      return {200, {{"did", name}}};
    });
  }
  server.join();
  EXPECT_EQ(carried_out, (std::vector<std::string>{"pause", "checkpoint"}));
  EXPECT_EQ(ran_on, control_thread);
  EXPECT_EQ(pause_reply.first, 200);
  EXPECT_EQ(pause_reply.second["did"], "pause");
  EXPECT_EQ(checkpoint_reply.second["did"], "checkpoint");
}

TEST(RunCommands, ACommandThatFailsIsAnsweredWithItsError) {
  RunCommands commands;
  std::atomic<bool> answered{false};
  RunCommands::Reply reply;
  std::thread server([&] {
    reply = commands.submit("checkpoint");
    answered.store(true);
  });
  while (!answered.load()) {
    commands.handle([](const std::string&) -> RunCommands::Reply {
      throw std::runtime_error("the disk is full");
    });
  }
  server.join();
  EXPECT_EQ(reply.first, 500);
  EXPECT_EQ(reply.second["error"], "the disk is full");
}

TEST(RunCommands, AStopIsTakenOnceWithoutTheControlThread) {
  RunCommands commands;
  EXPECT_FALSE(commands.stop_requested());
  EXPECT_TRUE(commands.request_stop());
  EXPECT_FALSE(commands.request_stop());
  EXPECT_TRUE(commands.stop_requested());
}

// The budget is claimed a block at a time: blocks start while fewer than the total are
// claimed (so the run ends at the first whole block at or after it), and a refused claim takes
// nothing. What was sent is counted for every actor of the run.
TEST(LocalActorLink, ClaimsTheRunsBudgetABlockAtATimeAndCountsWhatWasSent) {
  RunControl control(2);
  RunCounters counters;
  LocalActorLink first(0, control, counters, /*total_steps=*/100, nullptr);
  LocalActorLink second(1, control, counters, /*total_steps=*/100, nullptr);
  EXPECT_TRUE(first.claim(64));
  EXPECT_TRUE(second.claim(64));
  EXPECT_FALSE(first.claim(64));
  EXPECT_FALSE(second.claim(1));
  EXPECT_EQ(counters.steps_claimed.load(), 128);
  first.sent(64, 3);
  second.sent(64, 1);
  EXPECT_EQ(counters.env_steps.load(), 128);
  EXPECT_EQ(counters.episodes.load(), 4);
  EXPECT_EQ(first.run_steps(), 128);
  EXPECT_TRUE(first.admit(64, std::chrono::milliseconds(0))) << "asynchronous: no gate";
  // without a budget every claim is taken
  LocalActorLink unlimited(0, control, counters, /*total_steps=*/0, nullptr);
  EXPECT_TRUE(unlimited.claim(1 << 20));
}

// Synchronous acting: a block is admitted while the next update still needs steps; then the
// actor waits for the learner. Heartbeats, parking and the stop are the run's RunControl.
TEST(LocalActorLink, AdmitsThroughTheGateAndParksOnTheRunsControl) {
  RunControl control(1);
  RunCounters counters;
  SyncGate gate;
  gate.taken(0, /*needed=*/64);
  LocalActorLink link(0, control, counters, 0, &gate);
  EXPECT_TRUE(link.admit(64, std::chrono::milliseconds(0)));
  EXPECT_FALSE(link.admit(64, std::chrono::milliseconds(10))) << "the update has its steps";
  link.beat(Activity::kSending);
  EXPECT_EQ(control.workers()[0].activity, Activity::kSending);
  std::atomic<bool> parked{false};
  control.request_pause();
  std::thread actor([&] {
    while (link.boundary([&] { parked = true; }, [] {})) {
    }
  });
  EXPECT_TRUE(testing::wait_until([&]() -> bool { return control.parked_actors()[0]; }));
  EXPECT_FALSE(link.stopping());
  control.stop();
  actor.join();
  EXPECT_TRUE(parked);
  EXPECT_TRUE(link.stopping());
}

}  // namespace
}  // namespace sinew
