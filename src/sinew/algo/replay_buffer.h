// A ring buffer of transitions for off-policy learners (MPO), filled from trajectory blocks and
// sampled uniformly. Plain C++. With n_step > 1 each stored transition carries the discounted
// sum of up to n rewards of the same episode and the observation n steps later (fewer at an
// episode end or the end of the block, where it bootstraps from what follows).
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "sinew/transport/trajectory_block.h"

namespace sinew {

class ReplayBuffer {
 public:
  // capacity: transitions kept (the oldest are overwritten); gamma: for n-step returns.
  ReplayBuffer(int64_t capacity, int obs_dim, int action_dim, int n_step = 1, double gamma = 0.99);

  // Adds the T x N transitions of a block. The next observation of step t is the block's
  // observation at t + 1, the final observation of a truncated episode, or last_obs after the
  // block; a terminated step has discount 0.
  void add(const TrajectoryBlock& block);

  struct Batch {
    std::vector<float> obs;        // (B x obs_dim)
    std::vector<float> actions;    // (B x action_dim)
    std::vector<float> rewards;    // (B) n-step discounted reward sums
    std::vector<float> next_obs;   // (B x obs_dim) observation to bootstrap from
    std::vector<float> discounts;  // (B) gamma^k, 0 when the episode terminated within the k steps
  };
  // Draws `batch_size` transitions uniformly with replacement. Requires size() > 0.
  void sample(int64_t batch_size, std::mt19937_64& rng, Batch* out) const;

  int64_t size() const { return size_; }
  int64_t capacity() const { return capacity_; }
  int64_t added() const { return added_; }

  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

 private:
  void put(const float* obs, const float* action, float reward, const float* next_obs,
           float discount);

  int64_t capacity_;
  int obs_dim_, action_dim_, n_step_;
  double gamma_;
  int64_t size_ = 0, next_ = 0, added_ = 0;
  std::vector<float> obs_, actions_, rewards_, next_obs_, discounts_;
};

}  // namespace sinew
