// Running a trained policy for whole episodes: evaluation summaries (`sinew eval`) and motion
// recordings (`sinew play`). Actions are deterministic (the Gaussian mean or the most likely
// discrete action) unless asked otherwise.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>

#include "sinew/nn/action_sampler.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/motion_table.h"

namespace sinew {

struct EvalOptions {
  int episodes = 10;
  uint64_t seed = 12345;        // episode i starts from seed + i
  bool deterministic = true;
};

// Chooses actions with a loaded policy, one observation at a time.
class PolicyActor {
 public:
  PolicyActor(LoadedPolicy& policy, const EnvSpec& spec, uint64_t seed, bool deterministic);
  // obs: (obs_dim) raw observation; action: (action_dim)
  void act(std::span<const float> obs, std::span<float> action);

 private:
  LoadedPolicy& policy_;
  const EnvSpec spec_;
  bool deterministic_;
  ActionSampler sampler_;
  std::vector<float> norm_, log_std_;
};

// JSON: episodes, return_mean, return_std, return_min, return_max, length_mean,
// every env metric's mean under its own name, divergences, and the checkpoint's step.
nlohmann::json evaluate_policy(LoadedPolicy& policy, const EvalOptions& options);

// One episode from `seed` as a motion table (env's motion channels per control step, starting
// with the initial state). Without a policy every action is zero (a passive body).
MotionTable record_episode(Env& env, PolicyActor* actor, uint64_t seed);

}  // namespace sinew
