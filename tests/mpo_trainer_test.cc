// MpoTrainer end to end on tiny problems, and the state-dependent Gaussian head it trains.
#include "sinew/algo/mpo/mpo_trainer.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <random>

#include "shipped_config.h"
#include "sinew/nn/action_sampler.h"

namespace sinew {
namespace {

ActorCriticOptions bandit_policy() {
  ActorCriticOptions o;
  o.read_model_keys(shipped_config({}));  // hidden, activation, init_log_std
  o.obs_dim = 1;
  o.action_dim = 2;
  o.hidden = {32};
  o.activation = "relu";
  o.state_dependent_std = true;
  return o;
}

TEST(MpoHead, StateDependentStdStaysInBoundsAndTheSamplerMatchesItsLogProb) {
  torch::manual_seed(0);
  ActorCritic net(bandit_policy());
  auto obs = torch::randn({5, 1}) * 100;
  auto [mean, std] = net->mean_std(obs);
  EXPECT_LE(mean.abs().max().item<float>(), 1.0f);
  EXPECT_GE(std.min().item<float>(), 1e-4f - 1e-9f);
  EXPECT_LE(std.max().item<float>(), 1.0f);
  EXPECT_EQ(net->head_dim(), 4);
  EXPECT_THROW(net->value(obs), std::logic_error);

  auto head = net->policy(obs).detach().contiguous();
  ActionSampler sampler(2, 0, 3, /*std_in_head=*/true);
  std::vector<float> actions(10), log_probs(5);
  sampler.sample(head.data_ptr<float>(), nullptr, 5, false, actions.data(), log_probs.data());
  auto a = torch::from_blob(actions.data(), {5, 2}).clone();
  auto expected = gaussian_log_prob(a, mean.detach(), torch::log(std.detach()));
  for (int b = 0; b < 5; ++b) EXPECT_NEAR(log_probs[b], expected[b].item<float>(), 1e-4) << b;
}

TEST(MpoCritic, SampledActionsGiveTheSameQAsRepeatedStates) {
  torch::manual_seed(4);
  CriticOptions c;
  c.obs_dim = 7;
  c.action_dim = 3;
  c.hidden = {16, 16};
  Critic critic(c);
  auto obs = torch::randn({5, 7});
  auto actions = torch::randn({4, 5, 3});
  auto q = critic->forward_samples(obs, actions);
  ASSERT_EQ(q.sizes(), (std::vector<int64_t>{4, 5}));
  auto repeated = critic->forward(obs.unsqueeze(0).expand({4, 5, 7}).reshape({20, 7}),
                                  actions.reshape({20, 3}));
  EXPECT_TRUE(torch::allclose(q.reshape({20}), repeated, 1e-5, 1e-6));
}

// A one-step bandit: reward -(a - target)^2 summed over actions, no bootstrap. MPO's policy
// mean must move to the target and the critic must learn the reward.
TEST(MpoTrainer, SolvesAOneStepBandit) {
  torch::manual_seed(1);
  MpoOptions o = MpoOptions::from_config(shipped_config({"algo=mpo"}));
  o.batch_size = 64;
  o.num_samples = 20;
  o.epsilon_mean = 1e-2;  // a bandit tolerates faster steps than locomotion
  o.target_update = 0.05;
  CriticOptions c;
  c.obs_dim = 1;
  c.action_dim = 2;
  c.hidden = {32, 32};
  MpoTrainer trainer(ActorCritic(bandit_policy()), Critic(c), o);
  RunningNormalizer normalizer(1);
  const float target[2] = {0.5f, -0.3f};
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<float> uniform(-1, 1);
  ReplayBuffer::Batch batch;
  MpoStepStats stats;
  for (int step = 0; step < 600; ++step) {
    batch.obs.assign(o.batch_size, 1.0f);
    batch.next_obs.assign(o.batch_size, 1.0f);
    batch.discounts.assign(o.batch_size, 0.0f);
    batch.actions.resize(o.batch_size * 2);
    batch.rewards.resize(o.batch_size);
    for (int b = 0; b < o.batch_size; ++b) {
      float r = 0;
      for (int j = 0; j < 2; ++j) {
        float a = uniform(rng);
        batch.actions[b * 2 + j] = a;
        r -= (a - target[j]) * (a - target[j]);
      }
      batch.rewards[b] = r;
    }
    stats = trainer.step(batch, normalizer);
  }
  torch::NoGradGuard no_grad;
  auto [mean, std] = trainer.policy()->mean_std(torch::ones({1, 1}));
  EXPECT_NEAR(mean[0][0].item<float>(), target[0], 0.1);
  EXPECT_NEAR(mean[0][1].item<float>(), target[1], 0.1);
  EXPECT_LT(stats.critic_loss, 0.01);
  EXPECT_GT(stats.temperature, 0);
  EXPECT_LT(stats.kl_mean, 1.0);
}

}  // namespace
}  // namespace sinew
