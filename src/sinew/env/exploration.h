// Exploration that may act instead of the policy in one env, step by step (DEP-RL's DEP
// controller, algo/dep_exploration.h). The actor makes one per env, offers it every action the
// policy sampled, and executes and records what it leaves there; it reads the body through the
// env's sensors (Env::read_sensor), never through a concrete env type.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "sinew/core/binary_io.h"
#include "sinew/env/env.h"

namespace sinew {

class Exploration {
 public:
  virtual ~Exploration() = default;

  // Short name for the metric rollout/<name>_fraction (the share of steps it acted), e.g. "dep".
  virtual std::string name() const = 0;

  // `env` starts a new episode.
  virtual void start_episode() = 0;

  // Before `env` steps: may replace the policy's `action` (normalized to [-1, 1], action_dim) and
  // then returns true. `run_steps` counts the run's env steps so far (for a warm-up).
  virtual bool act(const Env& env, int64_t run_steps, std::span<float> action) = 0;

  // Everything it keeps between steps, for an exact resume; load_state() reads what save_state()
  // wrote (throwing UserError through `in` on data that does not fit).
  virtual void save_state(BinaryWriter* out) const = 0;
  virtual void load_state(BinaryReader* in, const std::string& source) = 0;
};

}  // namespace sinew
