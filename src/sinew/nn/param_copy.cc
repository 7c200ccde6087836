#include "sinew/nn/param_copy.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>

namespace sinew {

void copy_params_out(const torch::nn::Module& model, ParamSnapshot* snapshot) {
  torch::NoGradGuard no_grad;
  const auto params = model.parameters();
  snapshot->shapes.clear();
  std::vector<torch::Tensor> flat;
  for (const auto& p : params) {
    snapshot->shapes.emplace_back(p.sizes().begin(), p.sizes().end());
    flat.push_back(p.detach().reshape({-1}));
  }
  snapshot->values.resize(static_cast<std::size_t>(snapshot->num_values()));
  if (flat.empty()) return;
  // one contiguous float copy on the parameters' device, then one transfer to the CPU
  torch::Tensor all = torch::cat(flat).to(torch::kCPU, torch::kFloat).contiguous();
  std::copy_n(all.data_ptr<float>(), snapshot->values.size(), snapshot->values.begin());
}

void copy_params_in(const ParamSnapshot& snapshot, torch::nn::Module& model) {
  torch::NoGradGuard no_grad;
  auto params = model.parameters();
  if (params.size() != snapshot.shapes.size()) {
    throw std::invalid_argument("parameter snapshot has " + std::to_string(snapshot.shapes.size()) +
                                " tensors, the model " + std::to_string(params.size()));
  }
  int64_t offset = 0;
  for (std::size_t i = 0; i < params.size(); ++i) {
    const auto& shape = snapshot.shapes[i];
    if (params[i].sizes() != torch::IntArrayRef(shape)) {
      throw std::invalid_argument("parameter snapshot tensor " + std::to_string(i) +
                                  " has another shape than the model's");
    }
    const int64_t n = params[i].numel();
    auto source =
        torch::from_blob(const_cast<float*>(snapshot.values.data() + offset), shape, torch::kFloat);
    params[i].copy_(source);
    offset += n;
  }
}

}  // namespace sinew
