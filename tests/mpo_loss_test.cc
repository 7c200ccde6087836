#include "sinew/algo/mpo/mpo_loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "sinew/nn/actor_critic.h"

namespace sinew {
namespace {

torch::Tensor col(std::vector<float> v) { return torch::tensor(v).unsqueeze(1); }  // (K x 1)

// One state, K = 2 actions with Q = (0, 1), eta = 1:
//   weights = (1, e) / (1 + e) = (0.26894, 0.73106)
//   dual = eps + log((1 + e) / 2) = 0.1 + 0.62011 = 0.72011
//   d dual / d eta = eps + (LSE - log K) - E_w[Q] / eta = 0.1 + 0.62011 - 0.73106 = -0.01095
TEST(MpoLoss, EStepWeightsAndTemperatureDualMatchHandValues) {
  auto q = col({0, 1});
  auto eta = torch::tensor(1.0f).requires_grad_();
  auto w = mpo_weights(q, eta);
  EXPECT_NEAR(w[0][0].item<float>(), 1 / (1 + std::exp(1.0)), 1e-6);
  EXPECT_NEAR(w[1][0].item<float>(), std::exp(1.0) / (1 + std::exp(1.0)), 1e-6);
  auto loss = mpo_temperature_loss(q, eta, 0.1);
  EXPECT_NEAR(loss.item<float>(), 0.1 + std::log((1 + std::exp(1.0)) / 2), 1e-6);
  loss.backward();
  const double expected =
      0.1 + std::log((1 + std::exp(1.0)) / 2) - std::exp(1.0) / (1 + std::exp(1.0));
  EXPECT_NEAR(eta.grad().item<float>(), expected, 1e-5);
  // a higher temperature flattens the weights
  auto flat = mpo_weights(q, torch::tensor(10.0f));
  EXPECT_LT(flat[1][0].item<float>(), w[1][0].item<float>());
}

// Decoupled KLs by formula: KL_mean = (mu_t - mu)^2 / (2 sigma_t^2);
// KL_std = log(sigma / sigma_t) + sigma_t^2 / (2 sigma^2) - 1/2.
// mu_t = 0, mu = 0.3, sigma_t = 0.5, sigma = 1: KL_mean = 0.18, KL_std = log 2 + 0.125 - 0.5.
TEST(MpoLoss, DecoupledKlsAndMultiplierUpdatesMatchHandValues) {
  auto actions = torch::zeros({3, 1, 1});
  auto weights = torch::full({3, 1}, 1.0f / 3);
  auto mean = torch::full({1, 1}, 0.3f).requires_grad_();
  auto std = torch::full({1, 1}, 1.0f).requires_grad_();
  auto target_mean = torch::zeros({1, 1}), target_std = torch::full({1, 1}, 0.5f);
  auto alpha_mean = torch::tensor(2.0f).requires_grad_();
  auto alpha_std = torch::tensor(3.0f).requires_grad_();
  auto l = mpo_policy_losses(actions, weights, mean, std, target_mean, target_std, alpha_mean,
                             alpha_std, /*epsilon_mean=*/0.1, /*epsilon_std=*/1e-4);
  EXPECT_NEAR(l.kl_mean.item<float>(), 0.18, 1e-6);
  EXPECT_NEAR(l.kl_std.item<float>(), std::log(2.0) + 0.125 - 0.5, 1e-6);
  // dual: d/d alpha = eps - KL; KL_mean 0.18 > 0.1 -> negative gradient -> alpha grows
  l.alpha.backward();
  EXPECT_NEAR(alpha_mean.grad().item<float>(), 0.1 - 0.18, 1e-6);
  EXPECT_NEAR(alpha_std.grad().item<float>(), 1e-4 - (std::log(2.0) + 0.125 - 0.5), 1e-6);
  // the policy loss pulls the mean towards the weighted actions (0) and is penalized by KL
  l.policy.backward();
  EXPECT_GT(mean.grad().item<float>(), 0.0f);
}

TEST(MpoLoss, WeightedFitMovesTheMeanTowardsHighQActions) {
  // actions -1 and +1 for one state, the second with all the weight
  auto actions = torch::tensor(std::vector<float>{-1, 1}).reshape({2, 1, 1});
  auto weights = torch::tensor(std::vector<float>{0, 1}).reshape({2, 1});
  auto mean = torch::zeros({1, 1}).requires_grad_();
  auto std = torch::ones({1, 1}).requires_grad_();
  auto l = mpo_policy_losses(actions, weights, mean, std, torch::zeros({1, 1}), torch::ones({1, 1}),
                             torch::tensor(0.0f), torch::tensor(0.0f), 0.1, 1e-4);
  l.policy.backward();
  EXPECT_LT(mean.grad().item<float>(), 0.0f);  // gradient descent raises the mean towards +1
}

// The fit is computed from the weights' moments of the samples; it must equal the direct
// -sum_k w_k log N(a_k; ...) of the decoupled policies, in value and in gradients.
TEST(MpoLoss, FitFromWeightedMomentsEqualsTheDirectLogLikelihood) {
  torch::manual_seed(3);
  const int64_t K = 7, B = 5, A = 3;
  auto target_mean = torch::randn({B, A}) * 0.5, target_std = torch::rand({B, A}) * 0.5 + 0.05;
  auto actions = target_mean.unsqueeze(0) + target_std.unsqueeze(0) * torch::randn({K, B, A});
  auto weights = torch::softmax(torch::randn({K, B}), 0) + torch::softmax(torch::randn({K, B}), 0);
  auto mean0 = target_mean + 0.1 * torch::randn({B, A});
  auto std0 = target_std * (1 + 0.2 * torch::rand({B, A}));
  auto zero = torch::tensor(0.0f);

  auto mean = mean0.clone().requires_grad_(), std = std0.clone().requires_grad_();
  auto l = mpo_policy_losses(actions, weights, mean, std, target_mean, target_std, zero, zero, 0.1,
                             1e-4);
  l.policy.backward();

  auto mean_d = mean0.clone().requires_grad_(), std_d = std0.clone().requires_grad_();
  auto expand = [&](const torch::Tensor& x) { return x.unsqueeze(0).expand({K, B, A}); };
  auto logp_mean = gaussian_log_prob(actions, expand(mean_d), expand(torch::log(target_std)));
  auto logp_std = gaussian_log_prob(actions, expand(target_mean), expand(torch::log(std_d)));
  auto direct = -(weights * logp_mean).sum(0).mean() - (weights * logp_std).sum(0).mean();
  direct.backward();

  EXPECT_NEAR(l.policy.item<float>(), direct.item<float>(), 1e-4 * std::abs(direct.item<float>()));
  EXPECT_TRUE(torch::allclose(mean.grad(), mean_d.grad(), 1e-4, 1e-5));
  EXPECT_TRUE(torch::allclose(std.grad(), std_d.grad(), 1e-4, 1e-5));
}

TEST(MpoLoss, ActionPenaltyIsTheDistanceOutsideTheBox) {
  auto a = torch::tensor(std::vector<float>{0.5f, 2.0f, -3.0f, 0.0f}).reshape({1, 2, 2});
  auto q = action_penalty_q(a);
  EXPECT_NEAR(q[0][0].item<float>(), -1.0, 1e-6);  // (0.5, 2): 1 outside
  EXPECT_NEAR(q[0][1].item<float>(), -2.0, 1e-6);  // (-3, 0): 2 outside
}

TEST(MpoLoss, GaussianKlIsZeroForEqualDistributions) {
  auto m = torch::randn({4, 3}), s = torch::rand({4, 3}) + 0.1;
  EXPECT_NEAR(gaussian_kl(m, s, m, s).abs().max().item<float>(), 0.0, 1e-6);
}

}  // namespace
}  // namespace sinew
