#include "sinew/runtime/param_snapshot.h"

#include <torch/torch.h>

namespace sinew {

void ParamSnapshot::copy_to(torch::nn::Module& model) const {
  torch::NoGradGuard no_grad;
  auto target = model.parameters();
  for (std::size_t i = 0; i < target.size(); ++i) target[i].copy_(params[i]);
}

}  // namespace sinew
