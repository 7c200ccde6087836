// Running a trained policy for whole episodes: evaluation summaries (`sinew eval`) and motion
// recordings (`sinew play`). Actions are deterministic (the Gaussian mean or the most likely
// discrete action) unless asked otherwise.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>

#include "sinew/nn/action_sampler.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/motion_table.h"

namespace sinew {

class EnvFactory;

struct EvalOptions {
  int episodes = 10;
  uint64_t seed = 12345;  // episode i starts from seed + i
  bool deterministic = true;
  // also run the env's env.eval_conditions (name -> config overrides), reported as
  // <name>/<key> with the same keys as the main result
  bool conditions = true;
  // env.* overrides of the checkpoint's config for every episode (e.g. env.init_pose=stand),
  // applied after the env's eval_overrides and before each condition's
  std::vector<std::string> env_overrides;
};

// Chooses actions with a loaded policy, one observation at a time; an agent of several policies
// runs each on its part of the observation and assembles the action from their parts.
class PolicyActor {
 public:
  PolicyActor(LoadedPolicy& policy, const EnvSpec& spec, uint64_t seed, bool deterministic);
  // obs: (obs_dim) raw observation; action: (action_dim)
  void act(std::span<const float> obs, std::span<float> action);

 private:
  struct Acting {  // one policy and its scratch
    ActorCritic model;
    std::vector<int> obs_index, action_index;  // empty: all
    ActionSampler sampler;
    std::vector<float> input, log_std, action;
  };

  LoadedPolicy& policy_;
  const EnvSpec spec_;
  bool deterministic_;
  std::vector<Acting> acting_;
  std::vector<float> norm_;
  bool clip_actions_;  // algo.action_mapping: clip
};

// JSON: episodes, return_mean, return_std, return_min, return_max, length_mean,
// every env metric's mean under its own name, divergences, and the checkpoint's step; the same
// under <condition>/ for each of the env's evaluation conditions (gait: standing/, push/), whose
// names are listed in "conditions".
// Throws ConfigError when a condition's overrides do not fit the config.
nlohmann::json evaluate_policy(LoadedPolicy& policy, const EvalOptions& options);

// The main condition's episodes of `policy` in envs `factory` makes (made from an
// evaluation_config; env_overrides and conditions are not applied here): the keys above without
// the conditions and the step.
nlohmann::json evaluate_in(LoadedPolicy& policy, const EnvFactory& factory,
                           const EvalOptions& options);

// The config episodes are evaluated and played in: `config` with the env's env.eval_overrides
// (gait: reward terms do not end episodes, so only falls do), then `extra` overrides.
Config evaluation_config(const Config& config, const std::vector<std::string>& extra = {});

// One episode from `seed` as a motion table (env's motion channels per control step, starting
// with the initial state). Without a policy every action is zero (a passive body).
MotionTable record_episode(Env& env, PolicyActor* actor, uint64_t seed);

}  // namespace sinew
