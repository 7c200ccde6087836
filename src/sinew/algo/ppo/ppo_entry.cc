#include "sinew/algo/ppo/ppo_entry.h"

#include "sinew/algo/ppo/ppo_algorithm.h"
#include "sinew/algo/ppo/ppo_bench.h"
#include "sinew/nn/checkpoint_files.h"

namespace sinew {

AlgorithmEntry ppo_entry() {
  AlgorithmEntry e;
  e.name = "ppo";
  e.policy_file = PpoAlgorithm::kModelFile;
  e.check_config = [](const Config& config) { PpoOptions::from_config(config); };
  e.make = [](const Config& config, const EnvSpec&, const ActorCriticOptions& policy,
              uint64_t seed) -> std::unique_ptr<Algorithm> {
    return std::make_unique<PpoAlgorithm>(policy, PpoOptions::from_config(config), seed);
  };
  e.checkpoint_tensors = [](const std::filesystem::path& checkpoint,
                            const ActorCriticOptions& policy_options) {
    ActorCritic model(policy_options);
    load_torch(model, checkpoint / PpoAlgorithm::kModelFile);
    return module_tensors(*model);
  };
  e.bench = bench_ppo;
  return e;
}

}  // namespace sinew
