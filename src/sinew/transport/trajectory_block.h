// A block of experience from one actor: T consecutive steps of N envs, produced by one
// parameter version. Time-major: step t of env n is row t * N + n. Plain C++ (no torch).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sinew/core/binary_io.h"

namespace sinew {

struct TrajectoryBlock {
  int64_t T = 0;  // steps per env
  int64_t N = 0;  // envs
  int obs_dim = 0;
  int action_dim = 0;
  int64_t policy_version = 0;  // parameter version that chose the actions (the first policy's)
  // An agent of several policies (agent_spec.h) writes one block for all of them: each acted
  // on its part of the action with its own parameter version. 1: the block of one policy.
  int num_policies = 1;
  std::vector<int64_t> policy_versions;  // (num_policies) when > 1; [0] == policy_version
  int actor_id = 0;

  std::vector<float> obs;               // (T x N x obs_dim) raw observations before each step
  std::vector<float> last_obs;          // (N x obs_dim) raw observations after the last step
  std::vector<float> actions;           // (T x N x action_dim) as sampled (before env clipping)
  std::vector<float> log_probs;         // (T x N x num_policies) behaviour log-probabilities
  std::vector<float> rewards;           // (T x N)
  std::vector<uint8_t> terminated;      // (T x N) 1: terminal, no bootstrap
  std::vector<uint8_t> truncated;       // (T x N) 1: time limit, bootstrap from final_obs
  std::vector<int64_t> final_index;     // rows (t * N + n) that were truncated, in order
  std::vector<float> final_obs;         // (final_index.size() x obs_dim) observation at truncation
  std::vector<double> episode_returns;  // returns of the episodes that ended in this block
  // (T x N) wall-clock time at which each row's action was sent to its env: nanoseconds since
  // the Unix epoch (std::chrono::system_clock), so blocks from different processes or machines
  // line up with each other and with a live world's own clock
  std::vector<int64_t> step_time_ns;
  // What the actor measured while collecting it, for the run's metrics: each ended episode's
  // rollout/return, rollout/length and env metrics (env/...), exploration and divergences. They
  // travel with the block, so the receiving side records them wherever the actor ran; they are
  // not part of the saved data (write_block).
  std::vector<std::pair<std::string, double>> metrics;

  TrajectoryBlock() = default;
  TrajectoryBlock(int64_t steps, int64_t envs, int obs_size, int action_size, int policies = 1)
      : T(steps),
        N(envs),
        obs_dim(obs_size),
        action_dim(action_size),
        num_policies(policies),
        policy_versions(policies > 1 ? policies : 0),
        obs(steps * envs * obs_size),
        last_obs(envs * obs_size),
        actions(steps * envs * action_size),
        log_probs(steps * envs * policies),
        rewards(steps * envs),
        terminated(steps * envs),
        truncated(steps * envs),
        step_time_ns(steps * envs) {}

  int64_t num_steps() const { return T * N; }
};

// Appends a block of one policy (a model's slice, block_slice.h) to a binary stream / reads one
// back (throws UserError on damaged data). write_block() throws std::logic_error for a block
// of several policies. `with_step_times` false reads a block written before blocks carried
// step times (its step_time_ns are 0).
void write_block(BinaryWriter* out, const TrajectoryBlock& block);
TrajectoryBlock read_block(BinaryReader* in, bool with_step_times = true);

}  // namespace sinew
