// The episode recorder's worker: jobs run off the caller's thread, one at a time; a job offered
// while one runs is refused rather than queued; wait_idle and the destructor let a job finish.
#include "sinew/runtime/background_worker.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace sinew {
namespace {

TEST(BackgroundWorker, RunsAJobOffTheCallersThread) {
  BackgroundWorker worker;
  std::promise<std::thread::id> ran_on;
  ASSERT_TRUE(worker.try_submit([&] { ran_on.set_value(std::this_thread::get_id()); }));
  auto id = ran_on.get_future();
  ASSERT_EQ(id.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_NE(id.get(), std::this_thread::get_id());
}

TEST(BackgroundWorker, RefusesAJobWhileOneRunsAndTakesOneAfterwards) {
  BackgroundWorker worker;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> runs{0};
  ASSERT_TRUE(worker.try_submit([&, released] {
    released.wait();
    runs++;
  }));
  EXPECT_FALSE(worker.try_submit([&] { runs += 100; }));
  release.set_value();
  worker.wait_idle();
  EXPECT_EQ(runs.load(), 1);
  ASSERT_TRUE(worker.try_submit([&] { runs++; }));
  worker.wait_idle();
  EXPECT_EQ(runs.load(), 2);
}

TEST(BackgroundWorker, DestructionLetsTheRunningJobFinish) {
  std::atomic<bool> finished{false};
  {
    BackgroundWorker worker;
    ASSERT_TRUE(worker.try_submit([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      finished = true;
    }));
  }
  EXPECT_TRUE(finished.load());
}

}  // namespace
}  // namespace sinew
