#include "sinew/algo/agent/agent.h"

#include <fmt/format.h>

#include "sinew/algo/agent/policy_options.h"
#include "sinew/algo/algorithm_registry.h"
#include "sinew/algo/model_trainer_registry.h"
#include "sinew/core/errors.h"

namespace sinew {
namespace {

// Runs `fn`; a ConfigError about a key the model sets itself is renamed to that key
// (agent.models.<name>.algo.lr), so the user reads the key they typed.
template <typename Fn>
auto for_model(const AgentSpec& spec, const ModelSpec& model, Fn fn) -> decltype(fn()) {
  try {
    return fn();
  } catch (const ConfigError& e) {
    const std::string key = spec.config_key(model, e.key());
    if (key == e.key()) throw;
    std::string message = e.what();
    if (message.rfind("config: ", 0) == 0) message = message.substr(8);
    const auto at = message.find(e.key());
    if (at != std::string::npos) message.replace(at, e.key().size(), key);
    throw ConfigError(key, message);
  }
}

}  // namespace

Agent::Agent(const Config& config, const EnvSpec& env, uint64_t seed)
    : spec_(AgentSpec::from_config(config, env)) {
  int column = 0;
  for (std::size_t i = 0; i < spec_.models().size(); ++i) {
    const ModelSpec& m = spec_.models()[i];
    Model built;
    for_model(spec_, m, [&] {
      if (m.acts) {
        built.options = actor_critic_options(m.config, m.spec);
        auto algorithm = algorithms().at(m.config).make(m.config, m.spec, built.options, seed + i);
        built.policy = algorithm.get();
        built.trainer = std::move(algorithm);
        built.column = column++;
        built.params = std::make_unique<LocalParamStore>();
      } else {
        built.trainer = model_trainers().find(m.trainer)->make(m.config, m.spec, seed + i);
      }
    });
    models_.push_back(std::move(built));
  }
}

std::string Agent::folder(std::size_t i) const { return model_folder(spec_, model(i)); }

void Agent::save(CheckpointWriter* writer) const {
  for (std::size_t i = 0; i < models_.size(); ++i) {
    if (spec_.single()) {
      models_[i].trainer->save(writer);
    } else {
      CheckpointWriter sub = writer->subfolder(folder(i));
      models_[i].trainer->save(&sub);
    }
  }
}

void Agent::load(const std::filesystem::path& checkpoint) const {
  for (std::size_t i = 0; i < models_.size(); ++i) {
    models_[i].trainer->load(spec_.single() ? checkpoint : checkpoint / folder(i));
  }
}

void check_agent_models(const Config& config, const EnvSpec& env) {
  const AgentSpec spec = AgentSpec::from_config(config, env);
  for (const auto& m : spec.models()) {
    for_model(spec, m, [&] {
      if (m.acts) {
        actor_critic_options(m.config, m.spec);
        algorithms().at(m.config).check_config(m.config);
      } else {
        model_trainers().find(m.trainer)->check_config(m.config, m.spec);
      }
    });
  }
}

}  // namespace sinew
