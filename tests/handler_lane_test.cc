#include "sinew/serve/handler_lane.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace sinew {
namespace {

TEST(HandlerLane, RunsJobsOnItsThreads) {
  HandlerLane lane(/*threads=*/2, /*max_waiting=*/8);
  std::promise<std::thread::id> ran;
  auto where = ran.get_future();
  ASSERT_TRUE(lane.try_submit([&] { ran.set_value(std::this_thread::get_id()); }));
  ASSERT_EQ(where.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_NE(where.get(), std::this_thread::get_id());
}

TEST(HandlerLane, RefusesJobsBeyondMaxWaitingWithoutBlocking) {
  HandlerLane lane(/*threads=*/1, /*max_waiting=*/1);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::promise<void> started;
  ASSERT_TRUE(lane.try_submit([&, released] {
    started.set_value();
    released.wait();
  }));
  started.get_future().wait();  // the thread is busy now
  EXPECT_TRUE(lane.try_submit([] {}));
  EXPECT_FALSE(lane.try_submit([] {})) << "one may wait, not two";
  release.set_value();
}

TEST(HandlerLane, TakesAJobPerIdleThreadEvenWithNoRoomToWait) {
  HandlerLane lane(/*threads=*/2, /*max_waiting=*/0);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  // submitted back to back, before the threads can take them
  EXPECT_TRUE(lane.try_submit([released] { released.wait(); }));
  EXPECT_TRUE(lane.try_submit([released] { released.wait(); }));
  EXPECT_FALSE(lane.try_submit([] {}));
  release.set_value();
}

TEST(HandlerLane, CloseDropsWaitingJobsAndWaitsForRunningOnes) {
  HandlerLane lane(/*threads=*/1, /*max_waiting=*/4);
  std::atomic<bool> finished{false}, dropped_ran{false};
  std::promise<void> started;
  ASSERT_TRUE(lane.try_submit([&] {
    started.set_value();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    finished = true;
  }));
  ASSERT_TRUE(lane.try_submit([&] { dropped_ran = true; }));
  started.get_future().wait();
  lane.close();
  EXPECT_TRUE(finished);
  EXPECT_FALSE(dropped_ran);
  EXPECT_FALSE(lane.try_submit([] {})) << "closed";
}

}  // namespace
}  // namespace sinew
