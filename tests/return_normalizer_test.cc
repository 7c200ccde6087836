#include "sinew/algo/return_normalizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

// Moments of a list of values: mean and population variance.
std::pair<double, double> moments(const std::vector<double>& v) {
  double mean = 0, var = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  for (double x : v) var += (x - mean) * (x - mean);
  return {mean, var / static_cast<double>(v.size())};
}

TEST(ReturnNormalizer, TracksTheDiscountedReturnPerEnvAndRestartsItAfterAnEpisodeEnds) {
  const double gamma = 0.9;
  ReturnNormalizer n(gamma);
  // 3 steps of 2 envs, time-major; env 1's episode ends at step 1
  std::vector<float> rewards = {1, 10, 2, 20, 3, 30};
  std::vector<uint8_t> ended = {0, 0, 0, 1, 0, 0};
  n.update(/*actor=*/0, 3, 2, rewards, ended);
  // env 0: 1, 0.9 + 2, 0.9 * 2.9 + 3; env 1: 10, 9 + 20, then 30 after the restart
  std::vector<double> g = {1, 10, 2.9, 29, 0.9 * 2.9 + 3, 30};
  auto [mean, var] = moments(g);
  EXPECT_NEAR(n.moments().mean()[0], mean, 1e-5);
  EXPECT_NEAR(n.moments().variance()[0], var, 1e-4);
  EXPECT_NEAR(n.scale(), 1.0 / std::sqrt(var + 1e-8), 1e-6);
  // the next block of the same actor continues env 0's return and env 1's new one
  n.update(0, 1, 2, std::vector<float>{0, 0}, std::vector<uint8_t>{0, 0});
  g.push_back(gamma * (0.9 * 2.9 + 3));
  g.push_back(gamma * 30);
  std::tie(mean, var) = moments(g);
  EXPECT_NEAR(n.moments().variance()[0], var, 1e-4);
}

TEST(ReturnNormalizer, KeepsActorsApart) {
  ReturnNormalizer mixed(0.99), first(0.99), second(0.99);
  std::mt19937 rng(3);
  std::normal_distribution<float> reward(1.0f, 2.0f);
  for (int b = 0; b < 5; ++b) {
    std::vector<float> r0(8), r1(8);
    for (auto& r : r0) r = reward(rng);
    for (auto& r : r1) r = reward(rng);
    std::vector<uint8_t> none(8, 0);
    mixed.update(0, 4, 2, r0, none);
    mixed.update(1, 4, 2, r1, none);
    first.update(0, 4, 2, r0, none);
    second.update(0, 4, 2, r1, none);  // as its own stream
  }
  // the mixed moments are those of both streams' returns together
  const double n0 = first.moments().count(), n1 = second.moments().count();
  const double m0 = first.moments().mean()[0], m1 = second.moments().mean()[0];
  const double mean = (n0 * m0 + n1 * m1) / (n0 + n1);
  EXPECT_NEAR(mixed.moments().mean()[0], mean, 1e-9);
  EXPECT_THROW(mixed.update(0, 2, 4, std::vector<float>(8), std::vector<uint8_t>(8)),
               std::invalid_argument);  // actor 0 has 2 envs, not 4
}

TEST(ReturnNormalizer, DividesRewardsByTheReturnStdAndClips) {
  ReturnNormalizer n(0.0, /*clip=*/5.0);  // gamma 0: the return is the reward
  std::vector<float> rewards = {-2, 2, -2, 2};
  n.update(0, 2, 2, rewards, std::vector<uint8_t>(4, 0));
  EXPECT_NEAR(n.scale(), 0.5, 1e-6);  // std of the returns is 2
  std::vector<float> r = {4, -1, 100};
  n.normalize(r);
  EXPECT_FLOAT_EQ(r[0], 2.0f);
  EXPECT_FLOAT_EQ(r[1], -0.5f);
  EXPECT_FLOAT_EQ(r[2], 5.0f);  // clipped
}

TEST(ReturnNormalizer, JsonRoundTripContinuesExactly) {
  ReturnNormalizer a(0.97);
  std::mt19937 rng(5);
  std::normal_distribution<float> reward(0.5f, 3.0f);
  auto block = [&] {
    std::vector<float> r(12);
    for (auto& x : r) x = reward(rng);
    return r;
  };
  std::vector<uint8_t> ended(12, 0);
  ended[7] = 1;
  a.update(0, 4, 3, block(), ended);
  a.update(2, 6, 2, block(), ended);
  ReturnNormalizer b(0.97);
  b.load_json(a.to_json(), "returns.json");
  const auto next0 = block(), next2 = block();
  a.update(0, 4, 3, next0, ended);
  b.update(0, 4, 3, next0, ended);
  a.update(2, 6, 2, next2, ended);
  b.update(2, 6, 2, next2, ended);
  EXPECT_EQ(a.to_json(), b.to_json());
  EXPECT_EQ(a.scale(), b.scale());
  EXPECT_THROW(b.load_json("{\"moments\": 3}", "returns.json"), UserError);
}

}  // namespace
}  // namespace sinew
