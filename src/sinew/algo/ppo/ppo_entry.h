// PPO's registry entry (algo=ppo, configs/algo/ppo.yaml): on-policy, any action space.
#pragma once

#include "sinew/algo/algorithm_registry.h"

namespace sinew {

// The entry algorithm_registry.cc registers for algo.name=ppo.
AlgorithmEntry ppo_entry();

}  // namespace sinew
