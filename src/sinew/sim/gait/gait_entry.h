// The gait env's registry entry (env/env_registry.h): reads its env.* keys into GaitEnv::Options.
#pragma once

#include "sinew/env/env_registry.h"

namespace sinew {

EnvEntry gait_entry();

}  // namespace sinew
