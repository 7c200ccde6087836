// The actor-critic network for PPO: separate policy and value MLPs over normalized observations.
//
// Continuous actions: a diagonal Gaussian with a state-independent log standard deviation
// (parameter `log_std`, one per action dimension); actions are sampled unbounded and clipped by
// the env. Discrete actions: a categorical distribution over `num_actions` logits.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace sinew {

struct ActorCriticOptions {
  int64_t obs_dim = 0;
  int64_t action_dim = 0;             // continuous action size (1 for discrete)
  int64_t num_actions = 0;            // > 0: categorical over this many actions
  std::vector<int64_t> hidden = {64, 64};
  std::string activation = "tanh";
  double init_log_std = -0.5;         // initial log standard deviation of the Gaussian
};

class ActorCriticImpl : public torch::nn::Module {
 public:
  explicit ActorCriticImpl(const ActorCriticOptions& options);

  // Policy head output: Gaussian means (B, action_dim) or logits (B, num_actions).
  torch::Tensor policy(const torch::Tensor& obs);
  // State values (B).
  torch::Tensor value(const torch::Tensor& obs);

  // Log-probabilities (B) and entropies (B) of `actions` (B, action_dim) under the policy.
  std::pair<torch::Tensor, torch::Tensor> evaluate_actions(const torch::Tensor& obs,
                                                           const torch::Tensor& actions);

  const ActorCriticOptions& options() const { return options_; }
  bool discrete() const { return options_.num_actions > 0; }
  torch::Tensor log_std() const { return log_std_; }

 private:
  ActorCriticOptions options_;
  torch::nn::Sequential policy_net_{nullptr};
  torch::nn::Sequential value_net_{nullptr};
  torch::Tensor log_std_;  // (action_dim), continuous only
};
TORCH_MODULE(ActorCritic);

// log N(x; mean, exp(log_std)) summed over the last dimension, for (B, A) inputs.
torch::Tensor gaussian_log_prob(const torch::Tensor& x, const torch::Tensor& mean,
                                const torch::Tensor& log_std);

}  // namespace sinew
