#include "sinew/algo/gae.h"

#include <gtest/gtest.h>

#include <vector>

namespace sinew {
namespace {

struct Gae {
  std::vector<float> advantages, returns;
};

Gae run(int64_t T, int64_t N, const std::vector<float>& rewards, const std::vector<float>& values,
        const std::vector<float>& next_values, const std::vector<uint8_t>& terminated,
        const std::vector<uint8_t>& ended) {
  Gae g{std::vector<float>(T * N), std::vector<float>(T * N)};
  compute_gae(T, N, rewards, values, next_values, terminated, ended, /*gamma=*/0.9,
              /*lambda=*/0.8, g.advantages, g.returns);
  return g;
}

// Hand-computed: gamma 0.9, lambda 0.8 (gamma * lambda = 0.72).
//   d2 = 3 + 0.9 * 2.0 - 1.5 = 3.3                 A2 = 3.3
//   d1 = 2 + 0.9 * 1.5 - 1.0 = 2.35                A1 = 2.35 + 0.72 * 3.3 = 4.726
//   d0 = 1 + 0.9 * 1.0 - 0.5 = 1.4                 A0 = 1.4 + 0.72 * 4.726 = 4.80272
TEST(Gae, MatchesHandComputedValuesWithoutEpisodeEnds) {
  Gae g = run(3, 1, {1, 2, 3}, {0.5, 1.0, 1.5}, {1.0, 1.5, 2.0}, {0, 0, 0}, {0, 0, 0});
  EXPECT_NEAR(g.advantages[2], 3.3, 1e-5);
  EXPECT_NEAR(g.advantages[1], 4.726, 1e-5);
  EXPECT_NEAR(g.advantages[0], 4.80272, 1e-5);
  EXPECT_NEAR(g.returns[0], 4.80272 + 0.5, 1e-5);
}

// Termination after step 1: no bootstrap, no carry.
//   d1 = 2 - 1.0 = 1.0    A1 = 1.0    A0 = 1.4 + 0.72 * 1.0 = 2.12
TEST(Gae, TerminationStopsBootstrapAndRecursion) {
  Gae g = run(3, 1, {1, 2, 3}, {0.5, 1.0, 1.5}, {1.0, 1.5, 2.0}, {0, 1, 0}, {0, 1, 0});
  EXPECT_NEAR(g.advantages[2], 3.3, 1e-5);
  EXPECT_NEAR(g.advantages[1], 1.0, 1e-5);
  EXPECT_NEAR(g.advantages[0], 2.12, 1e-5);
}

// Truncation after step 1 with V(final observation) = 4.0: bootstrap, but no carry.
//   d1 = 2 + 0.9 * 4.0 - 1.0 = 4.6    A1 = 4.6    A0 = 1.4 + 0.72 * 4.6 = 4.712
TEST(Gae, TruncationBootstrapsFromTheFinalObservation) {
  Gae g = run(3, 1, {1, 2, 3}, {0.5, 1.0, 1.5}, {1.0, 4.0, 2.0}, {0, 0, 0}, {0, 1, 0});
  EXPECT_NEAR(g.advantages[1], 4.6, 1e-5);
  EXPECT_NEAR(g.advantages[0], 4.712, 1e-5);
}

TEST(Gae, EnvsInABlockAreIndependent) {
  // env 0 as in the first test, env 1 terminates at step 1; rows interleave (t * N + n)
  Gae g = run(3, 2, {1, 1, 2, 2, 3, 3}, {0.5, 0.5, 1.0, 1.0, 1.5, 1.5},
              {1.0, 1.0, 1.5, 1.5, 2.0, 2.0}, {0, 0, 0, 1, 0, 0}, {0, 0, 0, 1, 0, 0});
  EXPECT_NEAR(g.advantages[0], 4.80272, 1e-5);
  EXPECT_NEAR(g.advantages[1], 2.12, 1e-5);
  EXPECT_NEAR(g.advantages[4], 3.3, 1e-5);
  EXPECT_NEAR(g.advantages[5], 3.3, 1e-5);
}

}  // namespace
}  // namespace sinew
