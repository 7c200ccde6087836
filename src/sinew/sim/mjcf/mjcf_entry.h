// The mjcf env's registry entry (env/env_registry.h): reads its env.* keys into MjcfEnv::Options.
#pragma once

#include "sinew/env/env_registry.h"

namespace sinew {

EnvEntry mjcf_entry();

}  // namespace sinew
