// The losses of MPO (Abdolmaleki et al. 2018) as DEP-RL uses it (REFERENCE.md section 5), for
// a diagonal Gaussian policy: the E-step weights and temperature dual, the decoupled M-step with
// KL constraints on mean and covariance and their Lagrange multipliers, and action
// penalization as a second objective. Not yet wired into training (issue 5); unit-tested.
#pragma once

#include <torch/types.h>

namespace sinew {

// E-step: per state, softmax over the K sampled actions of Q / temperature.
// q: (K x B) -> weights (K x B), no gradient.
torch::Tensor mpo_weights(const torch::Tensor& q, const torch::Tensor& temperature);

// Temperature dual: eta * eps + eta * mean_b(logsumexp_k(q / eta) - log K). Minimizing it over
// eta (> 0) sets the temperature so the weights' KL from uniform stays near eps.
torch::Tensor mpo_temperature_loss(const torch::Tensor& q, const torch::Tensor& temperature,
                                   double epsilon);

// KL(N(mean_p, std_p) || N(mean_q, std_q)) summed over the last dimension, for (B x A) inputs.
torch::Tensor gaussian_kl(const torch::Tensor& mean_p, const torch::Tensor& std_p,
                          const torch::Tensor& mean_q, const torch::Tensor& std_q);

struct MpoPolicyLosses {
  torch::Tensor policy;   // -E[w log pi_mean] - E[w log pi_std] + alpha terms (to minimize)
  torch::Tensor alpha;    // the Lagrange multipliers' dual loss
  torch::Tensor kl_mean;  // KL(target || pi with online mean, target std), batch mean
  torch::Tensor kl_std;   // KL(target || pi with target mean, online std), batch mean
};

// Decoupled M-step. actions: (K x B x A) sampled from the target policy; weights: (K x B);
// online/target means and stds: (B x A). alpha_mean and alpha_std are the (positive)
// multipliers; their dual loss is alpha * (eps - KL.detach()).
MpoPolicyLosses mpo_policy_losses(const torch::Tensor& actions, const torch::Tensor& weights,
                                  const torch::Tensor& mean, const torch::Tensor& std,
                                  const torch::Tensor& target_mean, const torch::Tensor& target_std,
                                  const torch::Tensor& alpha_mean, const torch::Tensor& alpha_std,
                                  double epsilon_mean, double epsilon_std);

// Action penalization (MO-MPO): the second objective's "Q" is -|a - clip(a, -1, 1)| per sample.
// actions: (K x B x A) -> (K x B).
torch::Tensor action_penalty_q(const torch::Tensor& actions);

}  // namespace sinew
