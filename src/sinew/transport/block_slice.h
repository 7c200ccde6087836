// One model's view of a trajectory block (agent_spec.h): the observation values it reads, the
// action values it wrote and its own behaviour log-probabilities and parameter version, with
// the rewards and episode ends every model shares. Plain C++ (no torch).
#pragma once

#include <vector>

#include "sinew/transport/trajectory_block.h"

namespace sinew {

struct BlockSlice {
  std::vector<int> obs_index;     // into the block's observation; empty: all of it
  std::vector<int> action_index;  // into the block's action: what the model wrote (a policy) or
                                  // reads (a dynamics model); empty: all of it
  int policy = -1;                // the block's policy column (log-probs, version); -1: none
};

// The slice as a block of its own: obs_dim = obs_index.size() (or all), action_dim the actions
// it names (or all), log_probs and policy_version of column `policy` (zeros / version 0 without
// one).
TrajectoryBlock slice_block(const TrajectoryBlock& block, const BlockSlice& slice);

// The parameter version of policy column `policy` that made the block.
inline int64_t block_version(const TrajectoryBlock& block, int policy) {
  return policy > 0 ? block.policy_versions.at(policy) : block.policy_version;
}

}  // namespace sinew
