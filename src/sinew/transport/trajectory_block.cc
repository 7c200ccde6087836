#include "sinew/transport/trajectory_block.h"

#include <stdexcept>

namespace sinew {

void write_block(BinaryWriter* out, const TrajectoryBlock& b) {
  if (b.num_policies != 1) throw std::logic_error("write_block: a block of several policies");
  out->put<int64_t>(b.T);
  out->put<int64_t>(b.N);
  out->put<int>(b.obs_dim);
  out->put<int>(b.action_dim);
  out->put<int64_t>(b.policy_version);
  out->put<int>(b.actor_id);
  out->put_vector(b.obs);
  out->put_vector(b.last_obs);
  out->put_vector(b.actions);
  out->put_vector(b.log_probs);
  out->put_vector(b.rewards);
  out->put_vector(b.terminated);
  out->put_vector(b.truncated);
  out->put_vector(b.final_index);
  out->put_vector(b.final_obs);
  out->put_vector(b.episode_returns);
  out->put_vector(b.step_time_ns);
}

TrajectoryBlock read_block(BinaryReader* in, bool with_step_times) {
  TrajectoryBlock b;
  b.T = in->get<int64_t>();
  b.N = in->get<int64_t>();
  b.obs_dim = in->get<int>();
  b.action_dim = in->get<int>();
  b.policy_version = in->get<int64_t>();
  b.actor_id = in->get<int>();
  b.obs = in->get_vector<float>();
  b.last_obs = in->get_vector<float>();
  b.actions = in->get_vector<float>();
  b.log_probs = in->get_vector<float>();
  b.rewards = in->get_vector<float>();
  b.terminated = in->get_vector<uint8_t>();
  b.truncated = in->get_vector<uint8_t>();
  b.final_index = in->get_vector<int64_t>();
  b.final_obs = in->get_vector<float>();
  b.episode_returns = in->get_vector<double>();
  const auto rows = static_cast<std::size_t>(b.T * b.N);
  if (with_step_times) {
    b.step_time_ns = in->get_vector<int64_t>();
  } else if (b.T > 0 && b.N > 0) {
    b.step_time_ns.assign(rows, 0);
  }
  if (b.T <= 0 || b.N <= 0 || b.obs.size() != rows * b.obs_dim ||
      b.actions.size() != rows * b.action_dim || b.rewards.size() != rows ||
      b.step_time_ns.size() != rows || b.final_obs.size() != b.final_index.size() * b.obs_dim) {
    in->fail("trajectory block with inconsistent sizes");
  }
  return b;
}

}  // namespace sinew
