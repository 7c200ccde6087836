// Trainers of models that do not act (agent_spec.h): they learn from the same blocks as the
// policies and may feed them, e.g. a forward-dynamics model whose prediction error is a
// curiosity reward. Chosen by agent.models.<name>.trainer; each lives in its own folder under
// algo/ and describes itself in one ModelTrainerEntry, listed in model_trainer_registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sinew/algo/trainer.h"
#include "sinew/core/config.h"
#include "sinew/core/name_registry.h"
#include "sinew/env/env.h"

namespace sinew {

struct ModelTrainerEntry {
  std::string name;  // the value of agent.models.<name>.trainer
  // Reads every algo.* key of the model's config (agent_spec.h: ModelSpec::config) without
  // building anything; throws ConfigError naming the key.
  std::function<void(const Config& config, const EnvSpec& spec)> check_config;
  // Builds the trainer for the model's slice of the env (`spec`). Throws ConfigError.
  std::function<std::unique_ptr<Trainer>(const Config& config, const EnvSpec& spec, uint64_t seed)>
      make;

  bool complete() const { return check_config && make; }
};

class ModelTrainerRegistry : public NameRegistry<ModelTrainerEntry> {
 public:
  ModelTrainerRegistry() : NameRegistry("model trainer") {}
  // The entry whose name is `name`, or nullptr.
  const ModelTrainerEntry* find(const std::string& name) const {
    for (const auto& e : entries()) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }
};

// Every model trainer built into sinew (constructed once, read-only afterwards).
const ModelTrainerRegistry& model_trainers();

}  // namespace sinew
