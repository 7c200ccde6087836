// DEP-RL's stochastic switching between the DEP controller and the learned policy
// (REFERENCE.md section 5): only DEP acts before learning starts; afterwards every
// `pure_policy_every`-th episode is pure policy; in the others, at each step DEP takes over for
// `intervention_length` steps with probability `intervention_probability`. Per env.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "sinew/core/config.h"

namespace sinew {

// algo.learning_starts and algo.dep.{pure_policy_every, intervention_probability,
// intervention_length} (defaults in configs/algo/mpo.yaml).
struct DepSwitchingOptions {
  int64_t learning_starts{};          // DEP only until the run has this many env steps
  int pure_policy_every{};            // every n-th episode: no DEP at all
  double intervention_probability{};  // per step, DEP takes over ...
  int intervention_length{};          // ... for this many steps

  // Throws ConfigError naming a bad key.
  static DepSwitchingOptions from_config(const Config& config);
};

class DepSwitching {
 public:
  DepSwitching(const DepSwitchingOptions& options, uint64_t seed);

  // A new episode (the count decides the pure-policy episodes).
  void start_episode();
  // Whether DEP acts at this step, given the run's env steps so far. Advances the schedule.
  bool dep_acts(int64_t run_steps);

  int64_t episodes() const { return episodes_; }

  // Episode count, intervention state and random stream as text, and back (throws UserError).
  std::string save_state() const;
  void load_state(const std::string& text, const std::string& source);

 private:
  DepSwitchingOptions o_;
  std::mt19937_64 rng_;
  int64_t episodes_ = 0;
  int remaining_ = 0;  // steps left in the current DEP intervention
};

}  // namespace sinew
