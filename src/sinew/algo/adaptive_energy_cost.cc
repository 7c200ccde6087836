#include "sinew/algo/adaptive_energy_cost.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "sinew/core/errors.h"

namespace sinew {

std::optional<AdaptiveEnergyOptions> AdaptiveEnergyOptions::from_config(const Config& c) {
  if (!c.get_bool("algo.energy_cost.enabled")) return std::nullopt;
  AdaptiveEnergyOptions o;
  o.initial_cost = c.get_double("algo.energy_cost.initial_cost", 0, 1e6);
  o.learning_rate = c.get_double("algo.energy_cost.learning_rate", 0, 1e6);
  o.lr_decay = c.get_double("algo.energy_cost.lr_decay", 0, 1);
  o.smoothing = c.get_double("algo.energy_cost.smoothing", 0, 1);
  o.threshold = c.get_double("algo.energy_cost.threshold");
  o.max_cost = c.get_double("algo.energy_cost.max_cost", 0, 1e6);
  o.window = static_cast<int>(c.get_int("algo.energy_cost.window", 1, 1 << 20));
  return o;
}

AdaptiveEnergyCost::AdaptiveEnergyCost(const AdaptiveEnergyOptions& options)
    : o_(options), cost_(options.initial_cost), lr_(options.learning_rate) {}

double AdaptiveEnergyCost::relabel(double reward, std::span<const float> action) const {
  double energy = 0;
  for (float a : action) energy += static_cast<double>(a) * a * a;
  return reward - cost_ * energy;
}

void AdaptiveEnergyCost::end_episode(double score) {
  smoothed_ = first_ ? score : o_.smoothing * smoothed_ + (1 - o_.smoothing) * score;
  first_ = false;
  cost_ = std::clamp(cost_ + (smoothed_ > o_.threshold ? lr_ : -lr_), 0.0, o_.max_cost);
  successes_.push_back(score > o_.threshold);
  while (static_cast<int>(successes_.size()) > o_.window) successes_.pop_front();
  if (static_cast<int>(successes_.size()) == o_.window) {
    const auto wins = std::count(successes_.begin(), successes_.end(), true);
    if (2 * wins < o_.window) {
      lr_ *= o_.lr_decay;
      successes_.clear();  // one decay per window of failures
    }
  }
}

std::string AdaptiveEnergyCost::to_json() const {
  nlohmann::json j = {{"cost", cost_},
                      {"learning_rate", lr_},
                      {"smoothed_score", smoothed_},
                      {"first", first_},
                      {"successes", std::vector<bool>(successes_.begin(), successes_.end())}};
  return j.dump(2);
}

void AdaptiveEnergyCost::load_json(const std::string& text, const std::string& source) {
  try {
    auto j = nlohmann::json::parse(text);
    cost_ = j.at("cost").get<double>();
    lr_ = j.at("learning_rate").get<double>();
    smoothed_ = j.at("smoothed_score").get<double>();
    first_ = j.at("first").get<bool>();
    auto s = j.at("successes").get<std::vector<bool>>();
    successes_.assign(s.begin(), s.end());
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: bad adaptive energy cost state: {}", source, e.what()));
  }
}

}  // namespace sinew
