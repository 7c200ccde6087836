#include "sinew/algo/model_trainer_registry.h"

#include "sinew/algo/dynamics/forward_dynamics_entry.h"

namespace sinew {

const ModelTrainerRegistry& model_trainers() {
  static const ModelTrainerRegistry registry = [] {
    ModelTrainerRegistry r;
    // one line per trainer (its folder under algo/)
    r.add(forward_dynamics_entry());
    return r;
  }();
  return registry;
}

}  // namespace sinew
