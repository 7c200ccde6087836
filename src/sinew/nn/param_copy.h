// Moves parameters between a LibTorch module and a ParamSnapshot (plain CPU floats): the one
// place where published parameters leave or enter the networks.
#pragma once

#include <torch/nn/module.h>

#include "sinew/transport/param_snapshot.h"

namespace sinew {

// Copies `model`'s parameters, in parameters() order, into `snapshot`'s shapes and values.
// Parameters on a GPU come to the CPU in one transfer.
void copy_params_out(const torch::nn::Module& model, ParamSnapshot* snapshot);

// Copies `snapshot`'s values into `model`'s parameters (without autograd). Throws
// std::invalid_argument when the shapes differ from the module's.
void copy_params_in(const ParamSnapshot& snapshot, torch::nn::Module& model);

}  // namespace sinew
