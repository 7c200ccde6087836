// DEP-RL's adaptive energy cost (REFERENCE.md section 5): replayed rewards are relabelled as
// r - c * sum(a^3); after each episode the smoothed score s <- alpha s + (1 - alpha) score is
// compared with a threshold: above it c grows by lr, below it shrinks by lr; c stays in
// [0, c_max]. When the success rate (episodes whose score beat the threshold, over the last
// `window` episodes) drops below 0.5, lr is multiplied by lr_decay.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>

namespace sinew {

struct AdaptiveEnergyOptions {
  double initial_cost = 0;
  double learning_rate = 9e-4;
  double lr_decay = 0.9;
  double smoothing = 0.8;  // alpha
  double threshold = 1000;
  double max_cost = 100;
  int window = 10;
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
