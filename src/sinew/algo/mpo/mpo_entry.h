// MPO's registry entry (algo=mpo, configs/algo/mpo.yaml): off-policy with replay (DEP
// exploration allowed), a normalized-action policy, continuous actions only.
#pragma once

#include "sinew/algo/algorithm_registry.h"
#include "sinew/nn/critic.h"

namespace sinew {

// The entry algorithm_registry.cc registers for algo.name=mpo.
AlgorithmEntry mpo_entry();

// The Q network beside `policy`: same inputs, hidden layers and activation.
CriticOptions mpo_critic_options(const ActorCriticOptions& policy);

}  // namespace sinew
