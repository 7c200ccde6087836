// The forward-dynamics model's registry entry (agent.models.<name>.trainer: forward_dynamics).
#pragma once

#include "sinew/algo/model_trainer_registry.h"

namespace sinew {

ModelTrainerEntry forward_dynamics_entry();

}  // namespace sinew
