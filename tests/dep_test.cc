#include <gtest/gtest.h>

#include <cmath>

#include "shipped_config.h"
#include "sinew/algo/adaptive_energy_cost.h"
#include "sinew/algo/dep_controller.h"
#include "sinew/algo/dep_switching.h"
#include "sinew/core/errors.h"

namespace sinew {
namespace {

// History xbar_0..xbar_5 (t = 5), D = 1, tau = 4: s runs over 2..min(t - D, tau) - 1 = 2..3.
//   s = 2: chi = xbar3 - xbar2 = (1, 0), v = xbar2 - xbar1 = (0, 1) -> -chi v^T = [[0,-1],[0,0]]
//   s = 3: chi = xbar2 - xbar1 = (0, 1), v = xbar1 - xbar0 = (1, 0) -> -chi v^T = [[0,0],[-1,0]]
//   C = [[0, -1], [-1, 0]]; rows have norm 1, so C = kappa [[0, -1], [-1, 0]].
TEST(DepController, ControllerMatrixMatchesTheHandComputedOne) {
  DepOptions o = DepOptions::from_config(shipped_config({"algo=mpo"}));
  o.time_dist = 1;
  o.tau = 4;
  o.kappa = 2;
  std::deque<std::vector<double>> history = {{0, 0}, {1, 0}, {1, 1}, {2, 1}, {2, 3}, {0, 0}};
  auto C = DepController::controller_matrix(history, o);
  ASSERT_EQ(C.size(), 4u);
  EXPECT_NEAR(C[0], 0.0, 1e-12);
  EXPECT_NEAR(C[1], -2.0, 1e-12);
  EXPECT_NEAR(C[2], -2.0, 1e-12);
  EXPECT_NEAR(C[3], 0.0, 1e-12);
  // too short a history: no terms yet
  std::deque<std::vector<double>> short_history = {{0, 0}, {1, 0}, {1, 1}};
  for (double c : DepController::controller_matrix(short_history, o)) EXPECT_EQ(c, 0.0);
}

// q = C xbar with C = [[0,-1],[-1,0]], xbar = (1, 2): q = (-2, -1), |q| = sqrt(5);
// y = tanh(kappa q / |q| + b).
TEST(DepController, ActionIsTheNormalizedSquashedResponse) {
  DepOptions o = DepOptions::from_config(shipped_config({"algo=mpo"}));
  o.kappa = 1;
  auto y = DepController::action({0, -1, -1, 0}, {1, 2}, {0, 0}, o);
  EXPECT_NEAR(y[0], std::tanh(-2 / std::sqrt(5.0)), 1e-12);
  EXPECT_NEAR(y[1], std::tanh(-1 / std::sqrt(5.0)), 1e-12);
  auto biased = DepController::action({0, -1, -1, 0}, {1, 2}, {0.5, -0.5}, o);
  EXPECT_NEAR(biased[0], std::tanh(-2 / std::sqrt(5.0) + 0.5), 1e-12);
}

TEST(DepController, StepsStayBoundedAndStateRoundTrips) {
  DepOptions o = DepOptions::from_config(shipped_config({"algo=mpo"}));
  o.kappa = 1000;
  o.tau = 40;
  o.bias_rate = 0.002;
  DepController a(4, o), b(4, o);
  std::vector<double> l(4), f(4), ya(4), yb(4), action_sum(4, 0.0);
  for (int t = 0; t < 300; ++t) {
    for (int i = 0; i < 4; ++i) {
      l[i] = 0.1 + 0.02 * std::sin(0.1 * t + i);
      f[i] = 500 + 100 * std::cos(0.07 * t * (i + 1));
    }
    a.step(l, f, ya);
    for (double y : ya) ASSERT_TRUE(std::isfinite(y) && y >= -1 && y <= 1);
    for (int i = 0; i < 4; ++i) action_sum[i] += ya[i];
    if (t == 150) b.load_state(a.save_state(), "test");
    if (t > 150) {
      b.step(l, f, yb);
      ASSERT_EQ(ya, yb) << t;
    }
  }
  // the bias leans against the actions it has seen (DEP-RL's bias_rate): it moved, by at most
  // bias_rate per step, away from the side the motor acted on
  for (int i = 0; i < 4; ++i) {
    const double bias = a.bias()[i];
    EXPECT_GT(std::fabs(bias), 1e-3) << i;
    EXPECT_LE(std::fabs(bias), 300 * o.bias_rate) << i;
    if (std::fabs(action_sum[i]) > 10) EXPECT_LT(bias * action_sum[i], 0) << i;
  }
}

TEST(DepSwitching, FollowsTheScheduleStatistics) {
  DepSwitchingOptions o = DepSwitchingOptions::from_config(shipped_config({"algo=mpo"}));
  o.learning_starts = 100;
  DepSwitching s(o, 7);
  s.start_episode();
  EXPECT_TRUE(s.dep_acts(50));  // before learning starts: DEP only
  int64_t dep = 0, total = 0, pure_policy_dep = 0;
  for (int episode = 0; episode < 3000; ++episode) {
    s.start_episode();
    const bool pure = s.episodes() % 3 == 0;
    for (int t = 0; t < 1000; ++t) {
      const bool d = s.dep_acts(1000);
      if (pure) {
        pure_policy_dep += d;
      } else {
        dep += d;
        ++total;
      }
    }
  }
  EXPECT_EQ(pure_policy_dep, 0);
  // interventions start with p per policy step and last 8 steps:
  // expected DEP share = 8p / (1 + 7p) = 0.0288
  const double share = static_cast<double>(dep) / static_cast<double>(total);
  EXPECT_NEAR(share, 8 * 0.00371 / (1 + 7 * 0.00371), 0.003);
}

TEST(DepSwitching, StateRoundTripContinuesTheSameSchedule) {
  DepSwitchingOptions o = DepSwitchingOptions::from_config(shipped_config({"algo=mpo"}));
  o.learning_starts = 0;
  o.intervention_probability = 0.05;
  DepSwitching a(o, 11), b(o, 99);
  a.start_episode();
  a.start_episode();
  for (int t = 0; t < 37; ++t) a.dep_acts(10);
  b.load_state(a.save_state(), "test");
  EXPECT_EQ(b.episodes(), a.episodes());
  for (int t = 0; t < 2000; ++t) ASSERT_EQ(a.dep_acts(10), b.dep_acts(10)) << t;
  EXPECT_THROW(b.load_state("x", "test"), UserError);
}

TEST(AdaptiveEnergyCost, JsonRoundTripKeepsCostRateAndWindow) {
  AdaptiveEnergyOptions o = *AdaptiveEnergyOptions::from_config(
      shipped_config({"algo=mpo", "algo.energy_cost.enabled=true"}));
  o.threshold = 10;
  o.window = 3;
  AdaptiveEnergyCost a(o), b(o);
  for (double s : {20.0, 5.0, 1.0, 30.0}) a.end_episode(s);
  b.load_json(a.to_json(), "test");
  for (double s : {0.0, 0.0, 50.0, 0.0}) {
    a.end_episode(s);
    b.end_episode(s);
    EXPECT_EQ(a.cost(), b.cost());
    EXPECT_EQ(a.learning_rate(), b.learning_rate());
  }
  EXPECT_THROW(b.load_json("{}", "energy.json"), UserError);
}

TEST(AdaptiveEnergyCost, RelabelsAndAdaptsTheCost) {
  AdaptiveEnergyOptions o = *AdaptiveEnergyOptions::from_config(
      shipped_config({"algo=mpo", "algo.energy_cost.enabled=true"}));
  o.initial_cost = 0.5;
  o.learning_rate = 0.1;
  o.threshold = 100;
  o.window = 4;
  AdaptiveEnergyCost e(o);
  std::vector<float> a = {1.0f, 0.5f};
  EXPECT_NEAR(e.relabel(2.0, a), 2.0 - 0.5 * (1 + 0.125), 1e-12);
  e.end_episode(200);  // smoothed 200 > 100: c += 0.1
  EXPECT_NEAR(e.cost(), 0.6, 1e-12);
  e.end_episode(0);  // smoothed 0.8 * 200 + 0.2 * 0 = 160 > 100: c += 0.1
  EXPECT_NEAR(e.smoothed_score(), 160, 1e-12);
  EXPECT_NEAR(e.cost(), 0.7, 1e-12);
  e.end_episode(0);  // 128 -> 0.8
  e.end_episode(0);  // 102.4 -> 0.9; window full with 1 success of 4 < 0.5: lr *= 0.9
  EXPECT_NEAR(e.cost(), 0.9, 1e-12);
  EXPECT_NEAR(e.learning_rate(), 0.09, 1e-12);
  e.end_episode(0);  // 81.92 < 100: c -= 0.09
  EXPECT_NEAR(e.cost(), 0.81, 1e-12);
  for (int i = 0; i < 100; ++i) e.end_episode(-1000);
  EXPECT_EQ(e.cost(), 0.0);  // clipped at 0
}

}  // namespace
}  // namespace sinew
