// The PPO loss (Schulman et al. 2017) for one minibatch.
#pragma once

#include <torch/types.h>

namespace sinew {

struct PpoLossTerms {
  torch::Tensor total;          // policy + value_coef * value - entropy_coef * entropy
  torch::Tensor policy;         // -mean(min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A))
  torch::Tensor value;          // 0.5 * mean((V - returns)^2)
  torch::Tensor entropy;        // mean entropy
  torch::Tensor approx_kl;      // mean((ratio - 1) - log ratio), no gradient
  torch::Tensor clip_fraction;  // fraction of samples with |ratio - 1| > eps, no gradient
};

// All inputs are (B). `log_probs`, `values` and `entropy` carry gradients; the others do not.
PpoLossTerms ppo_loss(const torch::Tensor& log_probs, const torch::Tensor& old_log_probs,
                      const torch::Tensor& advantages, const torch::Tensor& values,
                      const torch::Tensor& returns, const torch::Tensor& entropy,
                      double clip_epsilon, double value_coef, double entropy_coef);

}  // namespace sinew
