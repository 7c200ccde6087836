#include "sinew/nn/critic.h"

#include <torch/torch.h>

#include "sinew/nn/mlp.h"

namespace sinew {

CriticImpl::CriticImpl(const CriticOptions& options) : options_(options) {
  net_ = register_module("q", make_mlp(options.obs_dim + options.action_dim, options.hidden, 1,
                                       options.activation, 1.0));
}

torch::Tensor CriticImpl::forward(const torch::Tensor& obs, const torch::Tensor& actions) {
  return net_->forward(torch::cat({obs, actions}, -1)).squeeze(-1);
}

torch::Tensor CriticImpl::forward_samples(const torch::Tensor& obs, const torch::Tensor& actions) {
  const int64_t K = actions.size(0), B = actions.size(1);
  // first layer W [o; a] + b = (W_o o + b) + W_a a, split by input columns
  auto first = net_[0]->as<torch::nn::LinearImpl>();
  auto w_obs = first->weight.narrow(1, 0, options_.obs_dim);
  auto w_act = first->weight.narrow(1, options_.obs_dim, options_.action_dim);
  auto per_state = torch::addmm(first->bias, obs, w_obs.t());           // (B x H)
  auto x = torch::matmul(actions, w_act.t()) + per_state.unsqueeze(0);  // (K x B x H)
  x = x.reshape({K * B, x.size(2)});
  for (auto it = net_->begin() + 1; it != net_->end(); ++it) x = it->forward(x);
  return x.view({K, B});
}

}  // namespace sinew
