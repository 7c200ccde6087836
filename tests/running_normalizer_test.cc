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

}  // namespace
}  // namespace sinew
