#include "sinew/algo/vtrace.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sinew/algo/gae.h"

namespace sinew {
namespace {

struct Out {
  std::vector<float> vs, adv;
};

Out run(const std::vector<float>& log_rhos, const std::vector<uint8_t>& terminated,
        const std::vector<uint8_t>& ended, double lambda = 1.0) {
  Out o{std::vector<float>(2), std::vector<float>(2)};
  VtraceOptions options{/*gamma=*/0.9, lambda, /*rho_clip=*/1.0, /*c_clip=*/1.0};
  compute_vtrace(2, 1, std::vector<float>{1, 2}, std::vector<float>{0.5, 1.0},
                 std::vector<float>{1.0, 2.0}, terminated, ended, log_rhos, options, o.vs, o.adv);
  return o;
}

// Ratios 2 and 0.5 -> rho = (1, 0.5), c = (1, 0.5); gamma 0.9; r = (1, 2); V = (0.5, 1.0);
// V(s_2) = 2.0 bootstraps the block.
//   t=1: td = 2 + 1.8 - 1 = 2.8; delta = 0.5 * 2.8 = 1.4;  vs1 = 1.0 + 1.4 = 2.4
//        A1 = td = 2.8 (PPO's ratio weights step 1 itself)
//   t=0: td = 1 + 0.9 - 0.5 = 1.4;  vs0 - V0 = 1.4 + 0.9 * 1 * 1.4 = 2.66;  vs0 = 3.16
//        A0 = 1.4 + 0.9 * 1 * (vs1 - V1) = 2.66
TEST(Vtrace, MatchesHandComputedValues) {
  Out o = run({std::log(2.0f), std::log(0.5f)}, {0, 0}, {0, 0});
  EXPECT_NEAR(o.vs[1], 2.4, 1e-5);
  EXPECT_NEAR(o.adv[1], 2.8, 1e-5);
  EXPECT_NEAR(o.vs[0], 3.16, 1e-5);
  EXPECT_NEAR(o.adv[0], 2.66, 1e-5);
}

// A low ratio at t=0 truncates both the TD error and the trace:
//   rho0 = c0 = 0.5: delta0 = 0.7; vs0 - V0 = 0.7 + 0.9 * 0.5 * 1.4 = 1.33
//   A0 = 1.4 + 0.9 * 0.5 * 1.4 = 2.03
TEST(Vtrace, SmallRatiosShrinkTheCorrection) {
  Out o = run({std::log(0.5f), std::log(0.5f)}, {0, 0}, {0, 0});
  EXPECT_NEAR(o.vs[0] - 0.5, 1.33, 1e-5);
  EXPECT_NEAR(o.adv[0], 2.03, 1e-5);
  // lambda scales the trace: 1.4 + 0.9 * (0.5 * 0.5) * 1.4 = 1.715
  EXPECT_NEAR(run({std::log(0.5f), std::log(0.5f)}, {0, 0}, {0, 0}, 0.5).adv[0], 1.715, 1e-5);
}

// Termination after t=0: nothing flows back from t=1 and nothing is bootstrapped.
TEST(Vtrace, TerminationCutsTheTrace) {
  Out o = run({0, 0}, {1, 0}, {1, 0});
  EXPECT_NEAR(o.vs[0], 1.0, 1e-6);   // r0 exactly
  EXPECT_NEAR(o.adv[0], 0.5, 1e-6);  // r0 - V0
}

TEST(Vtrace, OnPolicyTargetsEqualGae) {
  const int64_t T = 5, N = 2;
  std::vector<float> r = {1, -1, 0.5, 2, 0, 1, -2, 0.3, 1, 1};
  std::vector<float> v = {0.1, 0.2, 0.3, -0.4, 0.5, 0.6, 0.7, 0.8, -0.9, 1.0};
  std::vector<float> next = {0.3, -0.4, 0.5, 0.6, 0.7, 0.8, -0.9, 1.0, 2.0, 3.0};
  std::vector<uint8_t> term = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  std::vector<uint8_t> ended = {0, 0, 0, 1, 0, 0, 1, 0, 0, 0};  // env 0 truncated at t=3
  next[6] = 5.0f;                                               // V(final obs) of that episode
  std::vector<float> zeros(T * N, 0.0f), vs(T * N), vadv(T * N), adv(T * N), ret(T * N);
  for (double lambda : {1.0, 0.95, 0.5}) {
    compute_vtrace(T, N, r, v, next, term, ended, zeros, {0.99, lambda, 1.0, 1.0}, vs, vadv);
    compute_gae(T, N, r, v, next, term, ended, 0.99, lambda, adv, ret);
    for (int i = 0; i < T * N; ++i) {
      EXPECT_NEAR(vs[i], ret[i], 1e-5) << i;
      EXPECT_NEAR(vadv[i], adv[i], 1e-5) << i;
    }
  }
}

}  // namespace
}  // namespace sinew
