// The policy (and, for PPO, value) network: separate policy and value MLPs over normalized
// observations.
//
// Continuous actions, PPO: a diagonal Gaussian with a state-independent log standard deviation
// (parameter `log_std`, one per action dimension); actions are sampled unbounded and clipped by
// the env. Continuous actions, MPO (`state_dependent_std`): the policy MLP outputs 2 x action_dim
// values, mean = tanh(first half) and std = softplus(second half) clamped to [min_std, max_std],
// in the normalized action space [-1, 1]; there is no value MLP (MPO's critic is separate).
// Discrete actions: a categorical distribution over `num_actions` logits.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "sinew/core/config.h"

namespace sinew {

// The network's shape: sizes from the env, the model.* keys named after the fields (defaults
// in configs/sinew.yaml), the head from the algorithm.
struct ActorCriticOptions {
  int64_t obs_dim = 0;
  int64_t action_dim = 0;            // continuous action size (1 for discrete)
  int64_t num_actions = 0;           // > 0: categorical over this many actions
  std::vector<int64_t> hidden;       // hidden layer widths of the policy and value MLPs
  std::string activation = "tanh";   // tanh | relu
  double init_log_std = 0;           // initial log standard deviation of the Gaussian
  bool state_dependent_std = false;  // MPO's head (see above); implies no value MLP
  double min_std = 1e-4;             // state-dependent std bounds (not configurable)
  double max_std = 1.0;

  // model.hidden, model.activation, model.init_log_std; sizes and head as they are here.
  // Throws ConfigError naming a bad key.
  void read_model_keys(const Config& config);
};

class ActorCriticImpl : public torch::nn::Module {
 public:
  explicit ActorCriticImpl(const ActorCriticOptions& options);

  // Policy head output: Gaussian means (B, action_dim), logits (B, num_actions), or with a
  // state-dependent std [means, log stds] (B, 2 x action_dim).
  torch::Tensor policy(const torch::Tensor& obs);
  // Gaussian means and standard deviations (B, action_dim) each; continuous only.
  std::pair<torch::Tensor, torch::Tensor> mean_std(const torch::Tensor& obs);
  // State values (B). Not available with a state-dependent std.
  torch::Tensor value(const torch::Tensor& obs);

  // Log-probabilities (B) and entropies (B) of `actions` (B, action_dim) under the policy.
  std::pair<torch::Tensor, torch::Tensor> evaluate_actions(const torch::Tensor& obs,
                                                           const torch::Tensor& actions);

  const ActorCriticOptions& options() const { return options_; }
  bool discrete() const { return options_.num_actions > 0; }
  // Columns of policy(): the sampler's head width.
  int64_t head_dim() const;
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
