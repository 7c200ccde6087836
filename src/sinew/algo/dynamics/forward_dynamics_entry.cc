#include "sinew/algo/dynamics/forward_dynamics_entry.h"

#include "sinew/algo/dynamics/forward_dynamics_trainer.h"

namespace sinew {

ModelTrainerEntry forward_dynamics_entry() {
  ModelTrainerEntry e;
  e.name = "forward_dynamics";
  e.check_config = [](const Config& config, const EnvSpec&) {
    ForwardDynamicsOptions::from_config(config);
  };
  e.make = [](const Config& config, const EnvSpec& spec,
              uint64_t seed) -> std::unique_ptr<Trainer> {
    if (spec.is_discrete()) {
      throw ConfigError("algo.name", "forward_dynamics: predicts from continuous actions; env " +
                                         spec.name + " is discrete");
    }
    return std::make_unique<ForwardDynamicsTrainer>(
        spec.obs_dim, spec.action_dim, ForwardDynamicsOptions::from_config(config), seed);
  };
  return e;
}

}  // namespace sinew
