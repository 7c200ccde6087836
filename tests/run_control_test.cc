#include "sinew/runtime/run_control.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "wait_until.h"

namespace sinew {
namespace {

using std::chrono::milliseconds;

// Actors count "blocks" between boundaries; the learner checks in between its own work.
struct Workers {
  RunControl control;
  std::vector<std::atomic<int64_t>> blocks;
  std::atomic<int64_t> learner_rounds{0};
  std::vector<std::thread> threads;

  explicit Workers(int actors) : control(actors), blocks(actors) {
    for (int i = 0; i < actors; ++i) {
      threads.emplace_back([this, i] {
        while (control.actor_boundary(i)) {
          control.beat(i, Activity::kCollecting);
          blocks[i]++;
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        control.beat(i, Activity::kFinished);
      });
    }
    threads.emplace_back([this] {
      while (!control.stopping()) {
        if (control.pause_requested() &&
            (control.learner_only_pause() || control.all_actors_parked())) {
          if (!control.learner_boundary()) break;
          continue;
        }
        control.beat(control.learner_index(), Activity::kUpdating);
        learner_rounds++;
        std::this_thread::sleep_for(std::chrono::microseconds(100));
      }
    });
  }
  ~Workers() {
    control.stop();
    for (auto& t : threads) t.join();
  }
  int64_t total_blocks() {
    int64_t s = 0;
    for (auto& b : blocks) s += b.load();
    return s;
  }
};

TEST(RunControl, NothingMovesWhileParked) {
  Workers w(3);
  ASSERT_TRUE(testing::wait_until([&] { return w.total_blocks() > 0; }));
  w.control.request_pause();
  ASSERT_TRUE(w.control.wait_until_parked(milliseconds(2000)));
  int64_t blocks = w.total_blocks(), rounds = w.learner_rounds.load();
  std::this_thread::sleep_for(milliseconds(100));  // a window in which nothing may move
  EXPECT_EQ(w.total_blocks(), blocks);
  EXPECT_EQ(w.learner_rounds.load(), rounds);
  for (bool parked : w.control.parked_actors()) EXPECT_TRUE(parked);
  w.control.release();
  EXPECT_TRUE(testing::wait_until([&] { return w.total_blocks() > blocks; }));
}

TEST(RunControl, RepeatedPauseAndReleaseNeverDeadlocks) {
  Workers w(4);
  for (int i = 0; i < 200; ++i) {
    w.control.request_pause();
    ASSERT_TRUE(w.control.wait_until_parked(milliseconds(5000))) << "round " << i;
    w.control.release();
  }
}

TEST(RunControl, StopWakesParkedWorkers) {
  auto w = std::make_unique<Workers>(2);
  w->control.request_pause();
  ASSERT_TRUE(w->control.wait_until_parked(milliseconds(2000)));
  w.reset();  // stop + join: returns only if every parked thread woke up
  SUCCEED();
}

TEST(RunControl, LearnerOnlyPauseParksTheLearnerAlone) {
  RunControl control(/*num_actors=*/1);
  std::atomic<bool> learner_parked{false};
  std::thread learner([&] {
    while (!control.stopping()) {
      if (control.pause_requested() && control.learner_only_pause()) {
        learner_parked = true;
        control.learner_boundary();
        continue;
      }
      std::this_thread::sleep_for(milliseconds(1));
    }
  });
  // the actor never reaches a boundary (stuck)
  control.request_pause(/*learner_only=*/true);
  EXPECT_TRUE(control.wait_until_learner_parked(milliseconds(2000)));
  EXPECT_FALSE(control.wait_until_parked(milliseconds(50)));
  EXPECT_FALSE(control.parked_actors()[0]);
  control.stop();
  learner.join();
}

TEST(RunControl, HeartbeatsReportSilentWorkers) {
  RunControl control(2);
  control.beat(0, Activity::kCollecting);
  std::this_thread::sleep_for(milliseconds(60));
  control.beat(1, Activity::kSending);
  auto workers = control.workers();
  ASSERT_EQ(workers.size(), 3u);
  EXPECT_EQ(workers[0].name, "actor 0");
  EXPECT_EQ(workers[2].name, "learner");
  EXPECT_GE(workers[0].silent_s, 0.05);
  EXPECT_LT(workers[1].silent_s, 0.05);
  EXPECT_EQ(workers[1].activity, Activity::kSending);
}

// An actor's envs are paused before it counts as parked and resumed after the release (a world
// with actuators sends its neutral action while the run is parked); a stop resumes nothing.
TEST(RunControl, ActorHooksRunAroundAParkAndNotAfterAStop) {
  RunControl control(1);
  std::atomic<int> paused{0}, resumed{0};
  std::atomic<bool> paused_before_parked{false};
  control.request_pause();
  std::thread actor([&] {
    auto on_park = [&] {
      paused_before_parked = !control.parked_actors()[0];
      paused++;
    };
    auto on_resume = [&] { resumed++; };
    while (control.actor_boundary(0, on_park, on_resume)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  std::thread learner([&] {
    while (control.learner_boundary() && !control.stopping()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
  });
  ASSERT_TRUE(control.wait_until_parked(milliseconds(5000)));
  EXPECT_EQ(paused.load(), 1);
  EXPECT_EQ(resumed.load(), 0);
  EXPECT_TRUE(paused_before_parked.load());
  control.release();
  EXPECT_TRUE(testing::wait_until([&] { return resumed.load() > 0; }));
  EXPECT_EQ(resumed.load(), 1);
  // a second pause, ended by a stop: paused again, never resumed
  control.request_pause();
  ASSERT_TRUE(control.wait_until_parked(milliseconds(5000)));
  EXPECT_EQ(paused.load(), 2);
  control.stop();
  actor.join();
  learner.join();
  EXPECT_EQ(resumed.load(), 1);
}

}  // namespace
}  // namespace sinew
