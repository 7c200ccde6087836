// DEP-RL's adaptive energy cost (REFERENCE.md section 5): replayed rewards are relabelled as
// r - c * sum(a^3); after each episode the smoothed score s <- alpha s + (1 - alpha) score is
// compared with a threshold: above it c grows by lr, below it shrinks by lr; c stays in
// [0, c_max]. When the success rate (episodes whose score beat the threshold, over the last
// `window` episodes) drops below 0.5, lr is multiplied by lr_decay.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>

#include "sinew/core/config.h"

namespace sinew {

// One field per key under algo.energy_cost. (defaults in configs/algo/mpo.yaml).
struct AdaptiveEnergyOptions {
  double initial_cost{};   // c at the start
  double learning_rate{};  // change of c per episode
  double lr_decay{};       // lr factor when fewer than half of a window's episodes succeed
  double smoothing{};      // alpha, of the episode score
  double threshold{};      // score (episode return) that counts as success
  double max_cost{};       // c_max
  int window{};            // episodes per success-rate window

  // The algo.energy_cost.* keys, or nullopt when algo.energy_cost.enabled is false; throws
  // ConfigError naming a bad key.
  static std::optional<AdaptiveEnergyOptions> from_config(const Config& config);
};

class AdaptiveEnergyCost {
 public:
  explicit AdaptiveEnergyCost(const AdaptiveEnergyOptions& options);

  // r - c * sum(a^3) for one transition's reward and action.
  double relabel(double reward, std::span<const float> action) const;
  // Updates c (and lr) from an episode's score (its return).
  void end_episode(double score);

  double cost() const { return cost_; }
  double learning_rate() const { return lr_; }
  double smoothed_score() const { return smoothed_; }

  // c, lr, the smoothed score and the success window as JSON text, and back (UserError).
  std::string to_json() const;
  void load_json(const std::string& text, const std::string& source);

 private:
  AdaptiveEnergyOptions o_;
  double cost_, lr_, smoothed_ = 0;
  bool first_ = true;
  std::deque<bool> successes_;
};

}  // namespace sinew
