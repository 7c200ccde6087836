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
  const auto K = actions.size(0);
  auto expand = [K](const torch::Tensor& x) {
    return x.unsqueeze(0).expand({K, x.size(0), x.size(1)});
  };
  // decoupled policies: online mean with the target's std, the target's mean with online std
  auto log_std = torch::log(std), target_log_std = torch::log(target_std);
  auto logp_mean = gaussian_log_prob(actions, expand(mean), expand(target_log_std));  // (K x B)
  auto logp_std = gaussian_log_prob(actions, expand(target_mean), expand(log_std));   // (K x B)
  auto w = weights.detach();
  auto fit = -(w * logp_mean).sum(0).mean() - (w * logp_std).sum(0).mean();
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
