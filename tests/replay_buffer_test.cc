#include "sinew/algo/replay_buffer.h"

#include <gtest/gtest.h>

#include <set>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

// One env, 4 steps, obs = step index, reward = 1, 2, 3, 4; terminated after step 2 (index 1).
TrajectoryBlock block() {
  TrajectoryBlock b(/*steps=*/4, /*envs=*/1, /*obs_size=*/1, /*action_size=*/1);
  for (int t = 0; t < 4; ++t) {
    b.obs[t] = static_cast<float>(t);
    b.actions[t] = 0.1f * t;
    b.rewards[t] = static_cast<float>(t + 1);
  }
  b.terminated[1] = 1;
  b.last_obs[0] = 9;
  return b;
}

ReplayBuffer::Batch all(const ReplayBuffer& r) {
  // sample many times and keep one of each distinct observation
  ReplayBuffer::Batch batch;
  std::mt19937_64 rng(1);
  r.sample(400, rng, &batch);
  return batch;
}

TEST(ReplayBuffer, OneStepTransitionsBootstrapCorrectly) {
  ReplayBuffer r(/*capacity=*/10, 1, 1, /*n_step=*/1, /*gamma=*/0.5);
  r.add(block());
  EXPECT_EQ(r.size(), 4);
  auto b = all(r);
  std::set<float> seen;
  for (std::size_t j = 0; j < b.rewards.size(); ++j) {
    const float o = b.obs[j];
    seen.insert(o);
    EXPECT_FLOAT_EQ(b.rewards[j], o + 1);
    if (o == 1) {
      EXPECT_FLOAT_EQ(b.discounts[j], 0.0f);  // terminated
    } else {
      EXPECT_FLOAT_EQ(b.discounts[j], 0.5f);
      EXPECT_FLOAT_EQ(b.next_obs[j], o == 3 ? 9.0f : o + 1);  // last_obs after the block
    }
  }
  EXPECT_EQ(seen.size(), 4u);
}

// n = 3, gamma 0.5: from step 0: 1 + 0.5 * 2 = 2, terminated at step 1 -> discount 0.
// From step 2: 3 + 0.5 * 4 = 5, block ends after step 3 -> next obs = last_obs, discount 0.25.
TEST(ReplayBuffer, NStepReturnsStopAtEpisodeAndBlockEnds) {
  ReplayBuffer r(10, 1, 1, /*n_step=*/3, /*gamma=*/0.5);
  r.add(block());
  auto b = all(r);
  for (std::size_t j = 0; j < b.rewards.size(); ++j) {
    if (b.obs[j] == 0) {
      EXPECT_FLOAT_EQ(b.rewards[j], 2.0f);
      EXPECT_FLOAT_EQ(b.discounts[j], 0.0f);
    }
    if (b.obs[j] == 2) {
      EXPECT_FLOAT_EQ(b.rewards[j], 5.0f);
      EXPECT_FLOAT_EQ(b.discounts[j], 0.25f);
      EXPECT_FLOAT_EQ(b.next_obs[j], 9.0f);
    }
  }
}

TEST(ReplayBuffer, TruncationBootstrapsFromTheFinalObservation) {
  TrajectoryBlock b = block();
  b.terminated[1] = 0;
  b.truncated[1] = 1;
  b.final_index = {1};
  b.final_obs = {42};
  ReplayBuffer r(10, 1, 1, 3, 0.5);
  r.add(b);
  auto batch = all(r);
  for (std::size_t j = 0; j < batch.rewards.size(); ++j) {
    if (batch.obs[j] == 0) {
      EXPECT_FLOAT_EQ(batch.rewards[j], 2.0f);
      EXPECT_FLOAT_EQ(batch.discounts[j], 0.25f);
      EXPECT_FLOAT_EQ(batch.next_obs[j], 42.0f);
    }
  }
}

TEST(ReplayBuffer, OverwritesTheOldestAndSamplesEveryEntry) {
  ReplayBuffer r(6, 1, 1);
  for (int k = 0; k < 3; ++k) {
    TrajectoryBlock b = block();
    for (auto& o : b.obs) o += 10 * k;
    r.add(b);
  }
  EXPECT_EQ(r.size(), 6);
  EXPECT_EQ(r.added(), 12);
  std::set<float> seen;
  auto batch = all(r);
  for (float o : batch.obs) seen.insert(o);
  EXPECT_EQ(seen, (std::set<float>{12, 13, 20, 21, 22, 23}));  // the newest six
}

TEST(ReplayBuffer, StateRoundTrips) {
  ReplayBuffer a(8, 1, 1), b(8, 1, 1), wrong(9, 1, 1);
  a.add(block());
  b.load_state(a.save_state(), "test");
  EXPECT_EQ(b.size(), a.size());
  std::mt19937_64 r1(3), r2(3);
  ReplayBuffer::Batch x, y;
  a.sample(50, r1, &x);
  b.sample(50, r2, &y);
  EXPECT_EQ(x.obs, y.obs);
  EXPECT_EQ(x.rewards, y.rewards);
  EXPECT_THROW(wrong.load_state(a.save_state(), "test"), UserError);
}

}  // namespace
}  // namespace sinew
