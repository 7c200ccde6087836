#include "sinew/algo/replay_buffer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sinew/core/binary_io.h"

namespace sinew {

ReplayBuffer::ReplayBuffer(int64_t capacity, int obs_dim, int action_dim, int n_step, double gamma)
    : capacity_(capacity),
      obs_dim_(obs_dim),
      action_dim_(action_dim),
      n_step_(std::max(1, n_step)),
      gamma_(gamma),
      obs_(capacity * obs_dim),
      actions_(capacity * action_dim),
      rewards_(capacity),
      next_obs_(capacity * obs_dim),
      discounts_(capacity) {}

void ReplayBuffer::put(const float* obs, const float* action, float reward, const float* next_obs,
                       float discount) {
  std::copy_n(obs, obs_dim_, &obs_[next_ * obs_dim_]);
  std::copy_n(action, action_dim_, &actions_[next_ * action_dim_]);
  rewards_[next_] = reward;
  std::copy_n(next_obs, obs_dim_, &next_obs_[next_ * obs_dim_]);
  discounts_[next_] = discount;
  next_ = (next_ + 1) % capacity_;
  size_ = std::min(size_ + 1, capacity_);
  ++added_;
}

void ReplayBuffer::add(const TrajectoryBlock& b) {
  if (b.obs_dim != obs_dim_ || b.action_dim != action_dim_) {
    throw std::invalid_argument("replay buffer: block shapes do not match");
  }
  // where each truncated row's final observation is
  std::vector<int64_t> final_row(b.num_steps(), -1);
  for (std::size_t k = 0; k < b.final_index.size(); ++k)
    final_row[b.final_index[k]] = static_cast<int64_t>(k);
  // the observation that follows row i (the next row, the final one, or last_obs)
  auto following = [&](int64_t t, int64_t n) -> const float* {
    const int64_t i = t * b.N + n;
    if (final_row[i] >= 0) return &b.final_obs[final_row[i] * obs_dim_];
    if (t + 1 < b.T) return &b.obs[(i + b.N) * obs_dim_];
    return &b.last_obs[n * obs_dim_];
  };
  for (int64_t t = 0; t < b.T; ++t) {
    for (int64_t n = 0; n < b.N; ++n) {
      // up to n_step rewards of the same episode within the block
      double reward = 0, discount = 1;
      int64_t k = t;
      while (true) {
        const int64_t i = k * b.N + n;
        reward += discount * b.rewards[i];
        if (b.terminated[i]) {
          discount = 0;
          break;
        }
        discount *= gamma_;
        if (b.truncated[i] || k - t + 1 >= n_step_ || k + 1 >= b.T) break;
        ++k;
      }
      const int64_t i = t * b.N + n;
      put(&b.obs[i * obs_dim_], &b.actions[i * action_dim_], static_cast<float>(reward),
          following(k, n), static_cast<float>(discount));
    }
  }
}

void ReplayBuffer::sample(int64_t batch_size, std::mt19937_64& rng, Batch* out) const {
  if (size_ == 0) throw std::logic_error("replay buffer: sample from an empty buffer");
  out->obs.resize(batch_size * obs_dim_);
  out->actions.resize(batch_size * action_dim_);
  out->rewards.resize(batch_size);
  out->next_obs.resize(batch_size * obs_dim_);
  out->discounts.resize(batch_size);
  std::uniform_int_distribution<int64_t> pick(0, size_ - 1);
  for (int64_t j = 0; j < batch_size; ++j) {
    const int64_t i = pick(rng);
    std::copy_n(&obs_[i * obs_dim_], obs_dim_, &out->obs[j * obs_dim_]);
    std::copy_n(&actions_[i * action_dim_], action_dim_, &out->actions[j * action_dim_]);
    out->rewards[j] = rewards_[i];
    std::copy_n(&next_obs_[i * obs_dim_], obs_dim_, &out->next_obs[j * obs_dim_]);
    out->discounts[j] = discounts_[i];
  }
}

std::string ReplayBuffer::save_state() const {
  BinaryWriter out;
  out.put<int64_t>(capacity_);
  out.put<int>(obs_dim_);
  out.put<int>(action_dim_);
  out.put<int64_t>(size_);
  out.put<int64_t>(next_);
  out.put<int64_t>(added_);
  // only the filled rows: [0, size) (the buffer fills from row 0 and wraps only when full)
  auto put_rows = [&](const std::vector<float>& v, int64_t width) {
    out.put_vector(std::vector<float>(v.begin(), v.begin() + size_ * width));
  };
  put_rows(obs_, obs_dim_);
  put_rows(actions_, action_dim_);
  put_rows(rewards_, 1);
  put_rows(next_obs_, obs_dim_);
  put_rows(discounts_, 1);
  return out.bytes();
}

void ReplayBuffer::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  if (in.get<int64_t>() != capacity_ || in.get<int>() != obs_dim_ || in.get<int>() != action_dim_) {
    in.fail("replay buffer saved with another capacity or shape");
  }
  size_ = in.get<int64_t>();
  next_ = in.get<int64_t>();
  added_ = in.get<int64_t>();
  if (size_ < 0 || size_ > capacity_ || next_ < 0 || next_ >= capacity_ ||
      (size_ < capacity_ && next_ != size_)) {
    in.fail("replay buffer with inconsistent positions");
  }
  auto get_rows = [&](std::vector<float>* v, int64_t width) {
    auto values = in.get_vector<float>();
    if (static_cast<int64_t>(values.size()) != size_ * width) {
      in.fail("replay buffer arrays of the wrong size");
    }
    std::copy(values.begin(), values.end(), v->begin());
  };
  get_rows(&obs_, obs_dim_);
  get_rows(&actions_, action_dim_);
  get_rows(&rewards_, 1);
  get_rows(&next_obs_, obs_dim_);
  get_rows(&discounts_, 1);
}

}  // namespace sinew
