// Return normalization (algo.normalize_returns): rewards are divided by the running standard
// deviation of the discounted return, as CleanRL's PPO does with gym's NormalizeReward wrapper,
// so the value targets keep a scale near 1 whatever the task's reward scale.
//
// Each env keeps its discounted return G <- gamma * G + r, set to 0 after the step that ends its
// episode (terminated or truncated); every G enters running moments (RunningNormalizer, one
// dimension). The reward the learner uses is clip(r / sqrt(var(G) + eps), -clip, clip).
// Streams are told apart by actor: blocks of one actor arrive in the order it collected them,
// N envs each. Plain C++ (no torch).
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "sinew/core/running_normalizer.h"

namespace sinew {

class ReturnNormalizer {
 public:
  explicit ReturnNormalizer(double gamma, double clip = 10.0, double epsilon = 1e-8);

  // Adds the discounted returns of one block of `actor`: T steps of N envs, time-major (row
  // t * N + n), `ended[row]` 1 when that step ended the env's episode. Throws
  // std::invalid_argument when the actor's env count changes or the sizes do not match.
  void update(int actor, int64_t T, int64_t N, std::span<const float> rewards,
              std::span<const uint8_t> ended);

  // Normalizes rewards in place with the current statistics.
  void normalize(std::span<float> rewards) const;

  // 1 / sqrt(var(G) + eps).
  double scale() const;
  const RunningNormalizer& moments() const { return moments_; }

  // Statistics and every actor's running returns as JSON at full precision; load_json restores
  // them exactly (throws UserError naming `source` on malformed text).
  std::string to_json() const;
  void load_json(const std::string& text, const std::string& source);

 private:
  double gamma_;
  double clip_;
  RunningNormalizer moments_;
  std::map<int, std::vector<double>> returns_;  // actor -> (N) discounted return per env
  std::vector<float> scratch_;                  // (N) one step's returns
};

}  // namespace sinew
