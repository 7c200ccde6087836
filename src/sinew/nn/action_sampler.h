// Turns policy-head outputs into actions and their log-probabilities, in plain C++ with its
// own random stream (one per actor), matching ActorCritic::evaluate_actions exactly:
// continuous: a = mean + exp(log_std) * eps, eps ~ N(0, 1); discrete: a ~ softmax(logits).
// Deterministic mode takes the mean / the most likely action.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace sinew {

class ActionSampler {
 public:
  // `num_actions` > 0 selects categorical sampling over that many logits. `std_in_head`: each
  // head row is [means, log stds] (a state-dependent std) and the log_std argument is unused.
  ActionSampler(int64_t action_dim, int64_t num_actions, uint64_t seed, bool std_in_head = false);

  // head: (B x head_dim) means, [means, log stds] or logits; log_std: (action_dim), used only
  // for a continuous head without std.
  // Writes actions (B x action_dim; a discrete action is its index as a float) and
  // log_probs (B).
  void sample(const float* head, const float* log_std, int64_t batch, bool deterministic,
              float* actions, float* log_probs);

  // The random stream (engine and distribution caches) as text, and back; load_state throws
  // UserError naming `source` on malformed text.
  std::string save_state() const;
  void load_state(const std::string& text, const std::string& source);

 private:
  int64_t action_dim_;
  int64_t num_actions_;
  bool std_in_head_;
  std::mt19937_64 rng_;
  std::normal_distribution<float> normal_{0.0f, 1.0f};
  std::uniform_real_distribution<double> uniform_{0.0, 1.0};
};

}  // namespace sinew
