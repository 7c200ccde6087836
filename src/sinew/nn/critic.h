// The action-value network of off-policy learners (MPO): an MLP over [normalized observation,
// action] with one output, Q(s, a).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace sinew {

struct CriticOptions {
  int64_t obs_dim = 0;
  int64_t action_dim = 0;
  std::vector<int64_t> hidden = {256, 256};
  std::string activation = "relu";
};

class CriticImpl : public torch::nn::Module {
 public:
  explicit CriticImpl(const CriticOptions& options);

  // obs (B x obs_dim), actions (B x action_dim) -> Q (B).
  torch::Tensor forward(const torch::Tensor& obs, const torch::Tensor& actions);
  // K actions per state: obs (B x obs_dim), actions (K x B x action_dim) -> Q (K x B). The same
  // values as forward() on the states repeated K times, without repeating them: the first
  // layer's observation part is computed once per state.
  torch::Tensor forward_samples(const torch::Tensor& obs, const torch::Tensor& actions);

  const CriticOptions& options() const { return options_; }

 private:
  CriticOptions options_;
  torch::nn::Sequential net_{nullptr};
};
TORCH_MODULE(Critic);

}  // namespace sinew
