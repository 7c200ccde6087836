// A multilayer perceptron: Linear layers with an activation between them, none after the last.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <string>
#include <vector>

namespace sinew {

// Builds in -> hidden[0] -> ... -> hidden[k-1] -> out. `activation` is "tanh" or "relu".
// Hidden layers use orthogonal init with gain sqrt(2); the last layer's gain is `output_gain`.
torch::nn::Sequential make_mlp(int64_t in, const std::vector<int64_t>& hidden, int64_t out,
                               const std::string& activation, double output_gain);

}  // namespace sinew
