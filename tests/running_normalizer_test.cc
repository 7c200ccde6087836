#include "sinew/core/running_normalizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

TEST(RunningNormalizer, BatchedUpdatesEqualTheMomentsOfAllData) {
  std::mt19937 rng(1);
  std::normal_distribution<float> a(3.0f, 2.0f), b(-1.0f, 0.1f);
  std::vector<float> all;
  RunningNormalizer n(2);
  for (int batch = 0; batch < 7; ++batch) {
    std::vector<float> rows;
    for (int r = 0; r < 100 + batch * 13; ++r) {
      rows.push_back(a(rng));
      rows.push_back(b(rng));
    }
    n.update(rows, static_cast<int64_t>(rows.size() / 2));
    all.insert(all.end(), rows.begin(), rows.end());
  }
  const int64_t count = static_cast<int64_t>(all.size() / 2);
  for (int j = 0; j < 2; ++j) {
    double mean = 0, var = 0;
    for (int64_t r = 0; r < count; ++r) mean += all[r * 2 + j];
    mean /= count;
    for (int64_t r = 0; r < count; ++r) var += (all[r * 2 + j] - mean) * (all[r * 2 + j] - mean);
    var /= count;
    EXPECT_NEAR(n.mean()[j], mean, 1e-9);
    EXPECT_NEAR(n.variance()[j], var, 1e-9);
  }
  EXPECT_EQ(n.count(), count);
}

TEST(RunningNormalizer, NormalizesAndClips) {
  RunningNormalizer n(1, /*clip=*/2.0);
  std::vector<float> data = {1, 3};  // mean 2, variance 1
  n.update(data, 2);
  std::vector<float> in = {2, 3, 100}, out(3);
  n.normalize(in, out, 3);
  EXPECT_NEAR(out[0], 0.0, 1e-6);
  EXPECT_NEAR(out[1], 1.0, 1e-6);
  EXPECT_FLOAT_EQ(out[2], 2.0f);
}

TEST(RunningNormalizer, JsonRoundTripIsExact) {
  RunningNormalizer n(3);
  std::vector<float> data = {0.1f, 1e-7f, 12345.678f, -3.3f, 2.0f / 3.0f, 1e6f};
  n.update(data, 2);
  RunningNormalizer back = RunningNormalizer::from_json(n.to_json(), 3, "test");
  EXPECT_EQ(back.mean(), n.mean());
  EXPECT_EQ(back.variance(), n.variance());
  EXPECT_EQ(back.count(), n.count());
  EXPECT_THROW(RunningNormalizer::from_json(n.to_json(), 4, "test"), UserError);
  EXPECT_THROW(RunningNormalizer::from_json("{not json", 3, "test"), UserError);
}

// Held values normalize at their fixed center and scale and never move; everything else keeps
// learning. The held values are plain mean and variance, so a copy, a snapshot or an export
// applies them as they are.
TEST(RunningNormalizer, HeldValuesKeepTheirCenterAndScale) {
  RunningNormalizer n(3);
  n.hold(/*first=*/1, /*count=*/2, /*center=*/127.5, /*scale=*/127.5);
  EXPECT_FALSE(n.held(0));
  EXPECT_TRUE(n.held(1) && n.held(2));
  const std::vector<float> data = {1, 0, 255, 3, 10, 255};
  n.update(data, 2);
  EXPECT_DOUBLE_EQ(n.mean()[0], 2.0);
  EXPECT_DOUBLE_EQ(n.mean()[1], 127.5);
  EXPECT_DOUBLE_EQ(n.mean()[2], 127.5);
  std::vector<float> out(6);
  n.normalize(data, out, 2);
  EXPECT_NEAR(out[1], -1.0f, 1e-6);
  EXPECT_NEAR(out[2], 1.0f, 1e-6);
  EXPECT_NEAR(out[4], (10 - 127.5) / 127.5, 1e-6);
  const RunningNormalizer copy =
      RunningNormalizer::from_moments(n.mean(), n.variance(), n.count(), n.clip(), n.epsilon());
  std::vector<float> from_copy(6);
  copy.normalize(data, from_copy, 2);
  EXPECT_EQ(from_copy, out);
  // loaded statistics take the held values back from the layout
  RunningNormalizer loaded = RunningNormalizer::from_json(RunningNormalizer(3).to_json(), 3, "x");
  loaded.take_held(n);
  EXPECT_TRUE(loaded.held(2));
  EXPECT_DOUBLE_EQ(loaded.mean()[2], 127.5);
  EXPECT_DOUBLE_EQ(loaded.mean()[0], 0.0);
  EXPECT_THROW(n.hold(2, 2, 0, 1), std::invalid_argument);
  EXPECT_THROW(n.hold(0, 1, 0, 0), std::invalid_argument);
}

}  // namespace
}  // namespace sinew
