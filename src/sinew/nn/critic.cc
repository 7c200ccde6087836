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

}  // namespace sinew
