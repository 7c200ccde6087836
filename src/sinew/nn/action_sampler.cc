#include "sinew/nn/action_sampler.h"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <vector>

#include "sinew/core/errors.h"

namespace sinew {

ActionSampler::ActionSampler(int64_t action_dim, int64_t num_actions, uint64_t seed,
                             bool std_in_head)
    : action_dim_(action_dim), num_actions_(num_actions), std_in_head_(std_in_head), rng_(seed) {}

void ActionSampler::sample(const float* head, const float* log_std, int64_t batch,
                           bool deterministic, float* actions, float* log_probs) {
  const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
  if (num_actions_ == 0) {
    const int64_t width = std_in_head_ ? 2 * action_dim_ : action_dim_;
    for (int64_t b = 0; b < batch; ++b) {
      const float* mean = head + b * width;
      const float* row_log_std = std_in_head_ ? mean + action_dim_ : log_std;
      double logp = 0;
      for (int64_t j = 0; j < action_dim_; ++j) {
        float eps = deterministic ? 0.0f : normal_(rng_);
        actions[b * action_dim_ + j] = mean[j] + std::exp(row_log_std[j]) * eps;
        logp += -0.5 * eps * eps - row_log_std[j] - half_log_2pi;
      }
      log_probs[b] = static_cast<float>(logp);
    }
    return;
  }
  for (int64_t b = 0; b < batch; ++b) {
    // log-softmax of the logits
    const float* logits = head + b * num_actions_;
    float max_logit = *std::max_element(logits, logits + num_actions_);
    double sum = 0;
    for (int64_t k = 0; k < num_actions_; ++k) sum += std::exp(logits[k] - max_logit);
    double log_sum = std::log(sum) + max_logit;
    int64_t chosen = 0;
    if (deterministic) {
      chosen = std::max_element(logits, logits + num_actions_) - logits;
    } else {
      double u = uniform_(rng_), cumulative = 0;
      chosen = num_actions_ - 1;
      for (int64_t k = 0; k < num_actions_; ++k) {
        cumulative += std::exp(logits[k] - log_sum);
        if (u < cumulative) {
          chosen = k;
          break;
        }
      }
    }
    actions[b] = static_cast<float>(chosen);
    log_probs[b] = static_cast<float>(logits[chosen] - log_sum);
  }
}

std::string ActionSampler::save_state() const {
  std::ostringstream out;
  out << rng_ << ' ' << normal_ << ' ' << uniform_;
  return out.str();
}

void ActionSampler::load_state(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  in >> rng_ >> normal_ >> uniform_;
  if (!in) throw UserError(source + ": bad action-sampler random state");
}

}  // namespace sinew
