#include "sinew/core/interleaved_timing.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace sinew {
namespace {

// The workloads advance a clock of the test's own by what a unit of each costs, so the turns are
// exact, whatever the machine is doing.
struct FakeClock {
  double now = 0;
  std::function<double()> reader() {
    return [this] { return now; };
  }
};

TEST(InterleavedTiming, AlternatesTheWorkloadsUntilBothRanLongEnough) {
  // durations that are exact in binary: a unit of a takes 1/128 s, one of b twice that
  FakeClock clock;
  std::string order;
  const InterleavedTimes t = time_interleaved(
      /*seconds=*/1.0 / 8, /*slice_s=*/1.0 / 32, [&] { order += 'a', clock.now += 1.0 / 128; },
      [&] { order += 'b', clock.now += 1.0 / 64; }, clock.reader());
  // a first, in turns of a slice each (4 units of a, 2 of b), until each ran 1/8 s
  EXPECT_EQ(order, "aaaabbaaaabbaaaabbaaaabb");
  EXPECT_EQ(t.a_runs, 16);
  EXPECT_EQ(t.b_runs, 8);
  EXPECT_EQ(t.a_s, 1.0 / 8);
  EXPECT_EQ(t.b_s, 1.0 / 8);
}

TEST(InterleavedTiming, AWorkloadLongerThanASliceRunsOncePerTurn) {
  FakeClock clock;
  // 30 ms units, 10 ms slices, 50 ms each in total: two turns of one unit each
  const InterleavedTimes t = time_interleaved(
      0.05, 0.01, [&] { clock.now += 0.03; }, [&] { clock.now += 0.03; }, clock.reader());
  EXPECT_EQ(t.a_runs, 2);
  EXPECT_EQ(t.b_runs, 2);
}

TEST(InterleavedTiming, ReadsTheSteadyClockByDefault) {
  const double before = steady_seconds();
  const InterleavedTimes t = time_interleaved(
      0.001, 0.0005, [] {}, [] {});
  EXPECT_GE(t.a_s, 0.001);
  EXPECT_GE(steady_seconds() - before, t.a_s + t.b_s - 1e-9);
}

}  // namespace
}  // namespace sinew
