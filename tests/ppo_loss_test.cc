#include "sinew/algo/ppo/ppo_loss.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "shipped_config.h"
#include "sinew/nn/action_sampler.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {
namespace {

torch::Tensor t(std::initializer_list<float> v) { return torch::tensor(std::vector<float>(v)); }

// ratios 1.5 and 0.5, advantages +1 and -1, clip 0.2:
//   sample 0: min(1.5, 1.2) = 1.2; sample 1: min(-0.5, -0.8) = -0.8; policy = -mean = -0.2
//   value = 0.5 * mean((1-0)^2, (2-4)^2) = 1.25; entropy = 0.4
//   total = -0.2 + 0.5 * 1.25 - 0.01 * 0.4 = 0.421
TEST(PpoLoss, MatchesHandComputedValues) {
  auto logp = torch::tensor({std::log(1.5f), std::log(0.5f)}).requires_grad_();
  auto terms = ppo_loss(logp, t({0, 0}), t({1, -1}), t({1, 2}), t({0, 4}), t({0.3f, 0.5f}),
                        /*clip_epsilon=*/0.2, /*value_coef=*/0.5, /*entropy_coef=*/0.01);
  EXPECT_NEAR(terms.policy.item<float>(), -0.2, 1e-6);
  EXPECT_NEAR(terms.value.item<float>(), 1.25, 1e-6);
  EXPECT_NEAR(terms.entropy.item<float>(), 0.4, 1e-6);
  EXPECT_NEAR(terms.total.item<float>(), 0.421, 1e-6);
  EXPECT_NEAR(terms.clip_fraction.item<float>(), 1.0, 1e-6);
  double kl = ((0.5 - std::log(1.5)) + (-0.5 - std::log(0.5))) / 2;
  EXPECT_NEAR(terms.approx_kl.item<float>(), kl, 1e-6);
  // both samples are on the clipped side: no policy gradient
  terms.policy.backward();
  EXPECT_NEAR(logp.grad()[0].item<float>(), 0.0, 1e-7);
  EXPECT_NEAR(logp.grad()[1].item<float>(), 0.0, 1e-7);
}

// Inside the trust region the gradient of -mean(r A) w.r.t. log p is -r A / B.
TEST(PpoLoss, GradientInsideTheClipRangeIsTheRatioTimesAdvantage) {
  auto logp = torch::tensor({std::log(1.1f), std::log(0.9f)}).requires_grad_();
  auto terms = ppo_loss(logp, t({0, 0}), t({1, 2}), t({0, 0}), t({0, 0}), t({0, 0}), 0.2, 0.5, 0);
  terms.policy.backward();
  EXPECT_NEAR(logp.grad()[0].item<float>(), -1.1 * 1 / 2, 1e-6);
  EXPECT_NEAR(logp.grad()[1].item<float>(), -0.9 * 2 / 2, 1e-6);
}

TEST(ActorCritic, SamplerLogProbsMatchTheNetworkForGaussianPolicies) {
  torch::manual_seed(0);
  ActorCriticOptions o;
  o.read_model_keys(shipped_config({}));  // hidden, activation, init_log_std
  o.obs_dim = 4;
  o.action_dim = 3;
  ActorCritic net(o);
  auto obs = torch::randn({5, 4});
  auto head = net->policy(obs).detach().contiguous();
  auto log_std = net->log_std().detach().contiguous();
  std::vector<float> actions(15), logp(5);
  ActionSampler sampler(3, 0, 7);
  sampler.sample(head.data_ptr<float>(), log_std.data_ptr<float>(), 5, false, actions.data(),
                 logp.data());
  auto [net_logp, entropy] =
      net->evaluate_actions(obs, torch::from_blob(actions.data(), {5, 3}).clone());
  for (int i = 0; i < 5; ++i) EXPECT_NEAR(net_logp[i].item<float>(), logp[i], 1e-4);
  // entropy of a diagonal Gaussian: sum(0.5 + 0.5 log(2 pi) + log_std)
  EXPECT_NEAR(entropy[0].item<float>(), 3 * (0.5 + 0.5 * std::log(2 * M_PI) - 0.5), 1e-5);
}

TEST(ActorCritic, SamplerLogProbsMatchTheNetworkForCategoricalPolicies) {
  torch::manual_seed(0);
  ActorCriticOptions o;
  o.read_model_keys(shipped_config({}));  // hidden, activation, init_log_std
  o.obs_dim = 4;
  o.action_dim = 1;
  o.num_actions = 6;
  ActorCritic net(o);
  auto obs = torch::randn({50, 4}) * 50;
  auto head = net->policy(obs).detach().contiguous();
  std::vector<float> actions(50), logp(50);
  ActionSampler sampler(1, 6, 3);
  sampler.sample(head.data_ptr<float>(), nullptr, 50, false, actions.data(), logp.data());
  auto [net_logp, entropy] =
      net->evaluate_actions(obs, torch::from_blob(actions.data(), {50, 1}).clone());
  for (int i = 0; i < 50; ++i) {
    EXPECT_GE(actions[i], 0);
    EXPECT_LT(actions[i], 6);
    EXPECT_NEAR(net_logp[i].item<float>(), logp[i], 1e-4);
  }
  // deterministic mode picks the most likely action
  sampler.sample(head.data_ptr<float>(), nullptr, 50, true, actions.data(), logp.data());
  auto argmax = head.argmax(-1);
  for (int i = 0; i < 50; ++i)
    EXPECT_EQ(static_cast<int64_t>(actions[i]), argmax[i].item<int64_t>());
}

TEST(ActionSampler, GaussianSamplesHaveTheRequestedMoments) {
  ActionSampler sampler(1, 0, 11);
  const int n = 20000;
  std::vector<float> head(n, 2.0f), actions(n), logp(n);
  float log_std = std::log(0.5f);
  sampler.sample(head.data(), &log_std, n, false, actions.data(), logp.data());
  double mean = 0, var = 0;
  for (float a : actions) mean += a;
  mean /= n;
  for (float a : actions) var += (a - mean) * (a - mean);
  var /= n;
  EXPECT_NEAR(mean, 2.0, 0.02);
  EXPECT_NEAR(std::sqrt(var), 0.5, 0.02);
}

}  // namespace
}  // namespace sinew
