#include "sinew/algo/mpo/mpo_loss.h"

#include <torch/torch.h>

#include <cmath>

#include "sinew/nn/actor_critic.h"

namespace sinew {

torch::Tensor mpo_weights(const torch::Tensor& q, const torch::Tensor& temperature) {
  torch::NoGradGuard no_grad;
  return torch::softmax(q / temperature, /*dim=*/0);
}

torch::Tensor mpo_temperature_loss(const torch::Tensor& q, const torch::Tensor& temperature,
                                   double epsilon) {
  const double log_k = std::log(static_cast<double>(q.size(0)));
  auto lse = torch::logsumexp(q.detach() / temperature, /*dim=*/0) - log_k;  // (B)
  return temperature * epsilon + temperature * lse.mean();
}

torch::Tensor gaussian_kl(const torch::Tensor& mean_p, const torch::Tensor& std_p,
                          const torch::Tensor& mean_q, const torch::Tensor& std_q) {
  auto var_p = std_p.pow(2), var_q = std_q.pow(2);
  return (torch::log(std_q / std_p) + (var_p + (mean_p - mean_q).pow(2)) / (2 * var_q) - 0.5)
      .sum(-1);
}

MpoPolicyLosses mpo_policy_losses(const torch::Tensor& actions, const torch::Tensor& weights,
                                  const torch::Tensor& mean, const torch::Tensor& std,
                                  const torch::Tensor& target_mean, const torch::Tensor& target_std,
                                  const torch::Tensor& alpha_mean, const torch::Tensor& alpha_std,
                                  double epsilon_mean, double epsilon_std) {
  MpoPolicyLosses out;
  // The weighted fit -sum_k w_k log N(a_k; m, s) is quadratic in each sample, so it needs only
  // the weights' sums over the K samples of 1, d and d^2, with d = a - target_mean (no
  // gradient; d is of the order of the target's std, so nothing cancels). The graph then holds
  // (B x A) tensors instead of (K x B x A) ones.
  torch::Tensor w0, w1, w2;  // (B x 1), (B x A), (B x A)
  {
    torch::NoGradGuard no_grad;
    auto w = weights.detach().unsqueeze(-1);               // (K x B x 1)
    auto d = actions - target_mean.detach().unsqueeze(0);  // (K x B x A)
    auto wd = w * d;
    w0 = w.sum(0);
    w1 = wd.sum(0);
    w2 = (wd * d).sum(0);
  }
  const double half_log_2pi = 0.5 * std::log(2.0 * M_PI);
  // decoupled policies: online mean with the target's std, the target's mean with online std
  auto delta = mean - target_mean;  // the online mean's offset
  auto target_var = target_std.pow(2);
  auto nll_mean = (w2 - 2 * delta * w1 + delta.pow(2) * w0) / (2 * target_var) +
                  w0 * (torch::log(target_std) + half_log_2pi);
  auto nll_std = w2 / (2 * std.pow(2)) + w0 * (torch::log(std) + half_log_2pi);
  auto fit = nll_mean.sum(-1).mean() + nll_std.sum(-1).mean();
  out.kl_mean = gaussian_kl(target_mean, target_std, mean, target_std).mean();
  out.kl_std = gaussian_kl(target_mean, target_std, target_mean, std).mean();
  out.policy = fit + alpha_mean.detach() * out.kl_mean + alpha_std.detach() * out.kl_std;
  out.alpha = alpha_mean * (epsilon_mean - out.kl_mean.detach()) +
              alpha_std * (epsilon_std - out.kl_std.detach());
  return out;
}

torch::Tensor action_penalty_q(const torch::Tensor& actions) {
  return -torch::norm(actions - torch::clamp(actions, -1.0, 1.0), 2, /*dim=*/-1);
}

}  // namespace sinew
