// A block of experience from one actor: T consecutive steps of N envs, produced by one
// parameter version. Time-major: step t of env n is row t * N + n. Plain C++ (no torch).
#pragma once

#include <cstdint>
#include <vector>

#include "sinew/core/binary_io.h"

namespace sinew {

struct TrajectoryBlock {
  int64_t T = 0;  // steps per env
  int64_t N = 0;  // envs
  int obs_dim = 0;
  int action_dim = 0;
  int64_t policy_version = 0;  // parameter version that chose the actions
  int actor_id = 0;

  std::vector<float> obs;               // (T x N x obs_dim) raw observations before each step
  std::vector<float> last_obs;          // (N x obs_dim) raw observations after the last step
  std::vector<float> actions;           // (T x N x action_dim) as sampled (before env clipping)
  std::vector<float> log_probs;         // (T x N) behaviour log-probabilities of the actions
  std::vector<float> rewards;           // (T x N)
  std::vector<uint8_t> terminated;      // (T x N) 1: terminal, no bootstrap
  std::vector<uint8_t> truncated;       // (T x N) 1: time limit, bootstrap from final_obs
  std::vector<int64_t> final_index;     // rows (t * N + n) that were truncated, in order
  std::vector<float> final_obs;         // (final_index.size() x obs_dim) observation at truncation
  std::vector<double> episode_returns;  // returns of the episodes that ended in this block

  TrajectoryBlock() = default;
  TrajectoryBlock(int64_t steps, int64_t envs, int obs_size, int action_size)
      : T(steps),
        N(envs),
        obs_dim(obs_size),
        action_dim(action_size),
        obs(steps * envs * obs_size),
        last_obs(envs * obs_size),
        actions(steps * envs * action_size),
        log_probs(steps * envs),
        rewards(steps * envs),
        terminated(steps * envs),
        truncated(steps * envs) {}

  int64_t num_steps() const { return T * N; }
};

// Appends a block to a binary stream / reads one back (throws UserError on damaged data).
void write_block(BinaryWriter* out, const TrajectoryBlock& block);
TrajectoryBlock read_block(BinaryReader* in);

}  // namespace sinew
