// DEP-RL's stochastic switching between the DEP controller and the learned policy
// (REFERENCE.md section 5): only DEP acts before learning starts; afterwards every
// `pure_policy_every`-th episode is pure policy; in the others, at each step DEP takes over for
// `intervention_length` steps with probability `intervention_probability`. Per env.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace sinew {

struct DepSwitchingOptions {
  int64_t learning_starts_steps = 200000;  // DEP only until the run has this many env steps
  int pure_policy_every = 3;               // every 3rd episode: no DEP at all
  double intervention_probability = 0.00371;
  int intervention_length = 8;
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
