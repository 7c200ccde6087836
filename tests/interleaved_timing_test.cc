#include "sinew/core/interleaved_timing.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

namespace sinew {
namespace {

TEST(InterleavedTiming, AlternatesTheWorkloadsUntilBothRanLongEnough) {
  std::string order;
  auto sleep_ms = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  const InterleavedTimes t = time_interleaved(
      /*seconds=*/0.2, /*slice_s=*/0.05, [&] { order += 'a', sleep_ms(10); },
      [&] { order += 'b', sleep_ms(20); });
  EXPECT_GE(t.a_s, 0.2);
  EXPECT_GE(t.b_s, 0.2);
  EXPECT_EQ(t.a_runs + t.b_runs, static_cast<int64_t>(order.size()));
  // a first, and in turns: each change of workload is a new turn, so there are several
  EXPECT_EQ(order.front(), 'a');
  int turns = 1;
  for (std::size_t i = 1; i < order.size(); ++i) turns += order[i] != order[i - 1];
  EXPECT_GE(turns, 4);
  // a unit of a takes half as long as one of b: about twice as many runs in the same time
  EXPECT_GT(t.a_runs, t.b_runs);
}

TEST(InterleavedTiming, AWorkloadLongerThanASliceRunsOncePerTurn) {
  auto sleep_ms = [](int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); };
  // 30 ms units, 10 ms slices, 50 ms each in total: two turns of one unit each
  const InterleavedTimes t = time_interleaved(
      0.05, 0.01, [&] { sleep_ms(30); }, [&] { sleep_ms(30); });
  EXPECT_EQ(t.a_runs, 2);
  EXPECT_EQ(t.b_runs, 2);
}

}  // namespace
}  // namespace sinew
