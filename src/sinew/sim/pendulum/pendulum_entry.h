// The pendulum env's registry entry (env/env_registry.h): reads its env.* keys into
// PendulumEnv::Options.
#pragma once

#include "sinew/core/config.h"
#include "sinew/env/env_registry.h"
#include "sinew/sim/pendulum/pendulum_env.h"

namespace sinew {

EnvEntry pendulum_entry();

// The env.* keys as PendulumEnv::Options; throws ConfigError naming a bad key.
PendulumEnv::Options pendulum_options(const Config& config);

}  // namespace sinew
