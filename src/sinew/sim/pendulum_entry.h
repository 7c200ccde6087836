// The pendulum env's registry entry (env/env_registry.h): reads its env.* keys into
// PendulumEnv::Options.
#pragma once

#include "sinew/env/env_registry.h"

namespace sinew {

EnvEntry pendulum_entry();

}  // namespace sinew
