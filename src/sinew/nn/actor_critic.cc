#include "sinew/nn/actor_critic.h"

#include <cmath>

#include "sinew/nn/mlp.h"

namespace sinew {

void ActorCriticOptions::read_model_keys(const Config& config) {
  hidden = config.get_int_list("model.hidden", 1, 1 << 16);
  activation = config.get_choice("model.activation", {"tanh", "relu"});
  init_log_std = config.get_double("model.init_log_std", -20, 5);
}

ActorCriticImpl::ActorCriticImpl(const ActorCriticOptions& options) : options_(options) {
  policy_net_ = register_module(
      "policy", make_mlp(options.obs_dim, options.hidden, head_dim(), options.activation, 0.01));
  if (options.state_dependent_std) {
    if (discrete()) throw std::invalid_argument("a state-dependent std needs continuous actions");
    return;
  }
  value_net_ = register_module(
      "value", make_mlp(options.obs_dim, options.hidden, 1, options.activation, 1.0));
  if (!discrete()) {
    log_std_ =
        register_parameter("log_std", torch::full({options.action_dim}, options.init_log_std));
  }
}

int64_t ActorCriticImpl::head_dim() const {
  if (discrete()) return options_.num_actions;
  return options_.state_dependent_std ? 2 * options_.action_dim : options_.action_dim;
}

std::pair<torch::Tensor, torch::Tensor> ActorCriticImpl::mean_std(const torch::Tensor& obs) {
  auto out = policy_net_->forward(obs);
  if (!options_.state_dependent_std) return {out, torch::exp(log_std_).expand_as(out)};
  const int64_t A = options_.action_dim;
  auto mean = torch::tanh(out.narrow(-1, 0, A));
  auto std =
      torch::clamp(torch::softplus(out.narrow(-1, A, A)), options_.min_std, options_.max_std);
  return {mean, std};
}

torch::Tensor ActorCriticImpl::policy(const torch::Tensor& obs) {
  if (!options_.state_dependent_std) return policy_net_->forward(obs);
  auto [mean, std] = mean_std(obs);
  return torch::cat({mean, torch::log(std)}, -1);
}

torch::Tensor ActorCriticImpl::value(const torch::Tensor& obs) {
  if (!value_net_) throw std::logic_error("this policy network has no value head");
  return value_net_->forward(obs).squeeze(-1);
}

torch::Tensor gaussian_log_prob(const torch::Tensor& x, const torch::Tensor& mean,
                                const torch::Tensor& log_std) {
  auto z = (x - mean) * torch::exp(-log_std);
  return (-0.5 * z.pow(2) - log_std - 0.5 * std::log(2.0 * M_PI)).sum(-1);
}

std::pair<torch::Tensor, torch::Tensor> ActorCriticImpl::evaluate_actions(
    const torch::Tensor& obs, const torch::Tensor& actions) {
  auto head = policy(obs);
  if (discrete()) {
    auto log_probs = torch::log_softmax(head, -1);
    auto index = actions.select(-1, 0).to(torch::kLong).unsqueeze(-1);
    auto logp = log_probs.gather(-1, index).squeeze(-1);
    auto entropy = -(log_probs.exp() * log_probs).sum(-1);
    return {logp, entropy};
  }
  auto logp = gaussian_log_prob(actions, head, log_std_);
  auto entropy = (0.5 + 0.5 * std::log(2.0 * M_PI) + log_std_).sum().expand({obs.size(0)});
  return {logp, entropy};
}

}  // namespace sinew
