// The network of a policy: model.* keys plus the env's shapes, as the algorithm (algo.name)
// needs it (MPO's policy has a state-dependent std).
#pragma once

#include "sinew/core/config.h"
#include "sinew/env/env.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {

// Throws ConfigError (a discrete env for an algorithm of continuous actions, a bad model.*).
ActorCriticOptions actor_critic_options(const Config& config, const EnvSpec& spec);

}  // namespace sinew
