#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "scratch_path.h"
#include "sinew/core/errors.h"
#include "sinew/sim/gait/gait_cycle_analysis.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace {

NormativeGait normative() { return NormativeGait::read(resolve_motion_path("normative_gait.csv")); }

// Replays the normative mean curves for `cycles` strides of 1.1 s with the foot loaded during
// the first 62 % of each cycle (toe-off near 62 %).
GaitCycleAnalysis replay(const NormativeGait& g, int cycles, double phase_shift = 0) {
  GaitCycleAnalysis a;
  const double stride = 1.1, dt = 0.01;
  const int n = static_cast<int>(g.mean[0].size());
  for (double t = 0; t < cycles * stride; t += dt) {
    double phase = std::fmod(t / stride + phase_shift, 1.0);
    double x = phase * (n - 1);
    int i = std::min(static_cast<int>(x), n - 2);
    double w = x - i;
    auto at = [&](int k) { return g.mean[k][i] * (1 - w) + g.mean[k][i + 1] * w; };
    double load = std::fmod(t / stride, 1.0) < 0.62 ? 1.0 : 0.0;
    a.add(t, at(0), at(1), at(2), load);
  }
  return a;
}

TEST(NormativeGait, ReadsTheShippedCurves) {
  NormativeGait g = normative();
  EXPECT_EQ(g.mean[0].size(), 101u);
  // knee flexion peaks near 63 deg around 72 % of the cycle (REFERENCE.md section 2)
  auto peak = std::max_element(g.mean[1].begin(), g.mean[1].end());
  EXPECT_NEAR(*peak, 63, 3);
  EXPECT_NEAR(static_cast<double>(peak - g.mean[1].begin()), 72, 3);
}

TEST(GaitCycleAnalysis, NormativeWalkingIsFullySimilar) {
  NormativeGait g = normative();
  GaitCycleAnalysis a = replay(g, 5);
  EXPECT_EQ(a.heel_strikes().size(), 4u);  // at 1.1, 2.2, 3.3, 4.4 s
  EXPECT_EQ(a.complete_cycles(), 2);       // the first is skipped
  for (double s : a.similarity(g)) EXPECT_GT(s, 0.99);
}

TEST(GaitCycleAnalysis, OutOfPhaseWalkingIsNot) {
  NormativeGait g = normative();
  GaitCycleAnalysis a = replay(g, 5, /*phase_shift=*/0.5);
  auto s = a.similarity(g);
  EXPECT_LT(s[0], 0.0);  // hip half a cycle off is anti-correlated
}

TEST(GaitCycleAnalysis, TooFewCyclesGiveZero) {
  NormativeGait g = normative();
  GaitCycleAnalysis a = replay(g, 2);
  EXPECT_EQ(a.complete_cycles(), 0);
  for (double s : a.similarity(g)) EXPECT_EQ(s, 0.0);
  EXPECT_DOUBLE_EQ(GaitCycleAnalysis::correlation({1, 2, 3}, {2, 4, 6}), 1.0);
  EXPECT_DOUBLE_EQ(GaitCycleAnalysis::correlation({1, 1, 1}, {2, 4, 6}), 0.0);
}

TEST(NormativeGait, MissingColumnNamesTheFile) {
  auto path = testing::scratch_path("sinew_bad_norms", ".csv");
  std::ofstream(path)
      << "gait_cycle_pct,hip_flexion_min,hip_flexion_mean,hip_flexion_max\n0,1,2,3\n";
  try {
    NormativeGait::read(path);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(".csv:1: no column knee_flexion_min"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sinew
