// Runs a trained policy for whole episodes (deterministic actions: the Gaussian mean or the
// most likely discrete action) and summarizes returns, lengths and the env's own metrics.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

#include "sinew/runtime/agent_factory.h"

namespace sinew {

struct EvalOptions {
  int episodes = 10;
  uint64_t seed = 12345;        // episode i starts from seed + i
  bool deterministic = true;
};

// JSON: episodes, return_mean, return_std, return_min, return_max, length_mean,
// every env metric's mean under its own name, divergences, and the checkpoint's step.
nlohmann::json evaluate_policy(LoadedPolicy& policy, const EvalOptions& options);

}  // namespace sinew
