#include "sinew/algo/ppo/ppo_loss.h"

#include <torch/torch.h>

namespace sinew {

PpoLossTerms ppo_loss(const torch::Tensor& log_probs, const torch::Tensor& old_log_probs,
                      const torch::Tensor& advantages, const torch::Tensor& values,
                      const torch::Tensor& returns, const torch::Tensor& entropy,
                      double clip_epsilon, double value_coef, double entropy_coef) {
  PpoLossTerms terms;
  auto log_ratio = log_probs - old_log_probs;
  auto ratio = torch::exp(log_ratio);
  // clipped surrogate
  auto unclipped = ratio * advantages;
  auto clipped = torch::clamp(ratio, 1.0 - clip_epsilon, 1.0 + clip_epsilon) * advantages;
  terms.policy = -torch::min(unclipped, clipped).mean();
  // value regression and entropy bonus
  terms.value = 0.5 * (values - returns).pow(2).mean();
  terms.entropy = entropy.mean();
  terms.total = terms.policy + value_coef * terms.value - entropy_coef * terms.entropy;
  // diagnostics
  {
    torch::NoGradGuard no_grad;
    terms.approx_kl = ((ratio - 1.0) - log_ratio).mean();
    terms.clip_fraction = ((ratio - 1.0).abs() > clip_epsilon).to(torch::kFloat).mean();
  }
  return terms;
}

}  // namespace sinew
