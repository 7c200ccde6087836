// The agent of a run as built from its AgentSpec (agent_spec.h): every model's trainer, the
// policies' networks and a parameter store per policy (where the learner publishes its
// versions and the actors read them). Its files in a checkpoint: a run of one policy keeps
// its algorithm's layout at the top (models/, trainers/, data/); an agent of several models
// puts each model's under agent/<name>/.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "sinew/algo/agent/agent_spec.h"
#include "sinew/algo/algorithm.h"
#include "sinew/core/checkpoint.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/transport/local_param_store.h"

namespace sinew {

class Agent {
 public:
  // Builds every model's trainer (model i with seed + i) from `config` against `env`. Throws
  // ConfigError naming the key (agent.models.<name>.algo.lr when that model sets it).
  Agent(const Config& config, const EnvSpec& env, uint64_t seed);

  const AgentSpec& spec() const { return spec_; }
  std::size_t size() const { return models_.size(); }
  const ModelSpec& model(std::size_t i) const { return spec_.models()[i]; }
  Trainer& trainer(std::size_t i) const { return *models_[i].trainer; }
  // Model i's policy, or nullptr for a model that does not act.
  Algorithm* policy(std::size_t i) const { return models_[i].policy; }
  // Model i's column among the policies (block log-probs and versions), or -1.
  int policy_column(std::size_t i) const { return models_[i].column; }
  // Policy i's network shape and its parameter store (thread-safe).
  const ActorCriticOptions& policy_options(std::size_t i) const { return models_[i].options; }
  LocalParamStore& params(std::size_t i) const { return *models_[i].params; }

  // Stages every model's files into `writer`; only while the learner is parked or not running.
  void save(CheckpointWriter* writer) const;
  // Loads them from a verified checkpoint folder. Throws UserError naming the file.
  void load(const std::filesystem::path& checkpoint) const;
  // Where model i keeps its files in a checkpoint: "" (the top) or agent/<name>.
  std::string folder(std::size_t i) const;

 private:
  struct Model {
    std::unique_ptr<Trainer> trainer;
    Algorithm* policy = nullptr;
    int column = -1;
    ActorCriticOptions options;
    std::unique_ptr<LocalParamStore> params;
  };
  AgentSpec spec_;
  std::vector<Model> models_;
};

// Reads every key the agent's trainers use without building them (no networks, no replay
// memory); throws ConfigError like the constructor.
void check_agent_models(const Config& config, const EnvSpec& env);

}  // namespace sinew
