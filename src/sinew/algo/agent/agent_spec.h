// The agent of a run: named models, each with its trainer, the observation parts it reads and
// the action parts it writes (a policy) or reads (a model trained beside the policies, e.g. a
// forward-dynamics model). In the config (configs/agent/ has examples):
//
//   agent:
//     models:
//       shoulder:
//         trainer: ppo                    # a policy: the run's algo (algo.name), or a trainer
//                                         # of model_trainer_registry.h (forward_dynamics)
//         obs: [qpos/shoulder, qvel/shoulder, qpos/elbow]   # env obs parts, or all
//         actions: [shoulder_motor]       # env action names, or all
//         algo: {lr: 3.0e-4}              # this model's algo.* over the run's (optional)
//         model: {hidden: [32, 32]}       # its model.* over the run's (optional)
//         init: {from: runs/x, freeze: []}  # its init.* (optional; the run's init.from is
//                                         # for a run of one policy)
//
// Without agent.models (or with it empty) the agent is one policy named "policy" that reads
// the whole observation and writes the whole action, trained by algo.name: a run as it always
// was, with the same checkpoints and metric names. Every env action must be written by exactly
// one policy.
#pragma once

#include <string>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/env/env.h"

namespace sinew {

struct ModelSpec {
  std::string name;               // the key under agent.models ("policy" for a run of one)
  std::string trainer;            // e.g. ppo, forward_dynamics
  bool acts = true;               // a policy, which writes its actions
  std::vector<int> obs_index;     // into the env's observation, ascending; empty: all
  std::vector<int> action_index;  // into the env's action, ascending; empty: all
  // The run's config with this model's algo.* (algo.name = trainer), model.* and init.*: what
  // its trainer and network read.
  Config config;
  EnvSpec spec;  // the env as this model sees it: its observation and action parts
};

class AgentSpec {
 public:
  // Reads agent.models against the env's parts. Throws ConfigError naming the key (an unknown
  // part or trainer, an action no policy or two policies write, ...).
  static AgentSpec from_config(const Config& config, const EnvSpec& env);

  // One policy over everything, from algo.name (no agent.models).
  bool single() const { return single_; }
  // In config order, policies first: model 0 is a policy.
  const std::vector<ModelSpec>& models() const { return models_; }
  int num_policies() const;

  // Where `key` of model `model` ("algo.lr") is set in the run's config, for errors:
  // agent.models.<name>.algo.lr when that model sets it, else `key` (the run's own).
  std::string config_key(const ModelSpec& model, const std::string& key) const;

 private:
  bool single_ = true;
  std::vector<ModelSpec> models_;
  Config run_config_;
};

// The folder of `model`'s files in a checkpoint, relative to it: "" for a run of one policy
// (its files keep the plain layout), else agent/<name>.
std::string model_folder(const AgentSpec& agent, const ModelSpec& model);

}  // namespace sinew
