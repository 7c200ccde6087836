#include "sinew/transport/block_slice.h"

namespace sinew {
namespace {

// rows x width values of `in`, keeping the columns in `index` (all when empty)
std::vector<float> gather(const std::vector<float>& in, int width, const std::vector<int>& index) {
  if (index.empty()) return in;
  const std::size_t rows = width > 0 ? in.size() / width : 0;
  std::vector<float> out(rows * index.size());
  for (std::size_t r = 0; r < rows; ++r) {
    const float* src = &in[r * width];
    float* dst = &out[r * index.size()];
    for (std::size_t k = 0; k < index.size(); ++k) dst[k] = src[index[k]];
  }
  return out;
}

}  // namespace

TrajectoryBlock slice_block(const TrajectoryBlock& b, const BlockSlice& slice) {
  TrajectoryBlock out;
  out.T = b.T;
  out.N = b.N;
  out.obs_dim = slice.obs_index.empty() ? b.obs_dim : static_cast<int>(slice.obs_index.size());
  out.actor_id = b.actor_id;
  out.obs = gather(b.obs, b.obs_dim, slice.obs_index);
  out.last_obs = gather(b.last_obs, b.obs_dim, slice.obs_index);
  out.final_obs = gather(b.final_obs, b.obs_dim, slice.obs_index);
  out.action_dim =
      slice.action_index.empty() ? b.action_dim : static_cast<int>(slice.action_index.size());
  out.actions = gather(b.actions, b.action_dim, slice.action_index);
  const int64_t rows = b.num_steps();
  out.log_probs.assign(rows, 0.0f);
  if (slice.policy >= 0) {
    const int P = b.num_policies;
    for (int64_t r = 0; r < rows; ++r) out.log_probs[r] = b.log_probs[r * P + slice.policy];
    out.policy_version = block_version(b, slice.policy);
  }
  out.rewards = b.rewards;
  out.terminated = b.terminated;
  out.truncated = b.truncated;
  out.final_index = b.final_index;
  out.episode_returns = b.episode_returns;
  out.step_time_ns = b.step_time_ns;
  return out;
}

}  // namespace sinew
