// Network parameters and observation statistics as named tensors: the common currency of
// `sinew export` (a TorchScript policy and a state_dict file) and `init.from` (starting a run
// from a checkpoint, an exported policy or a PyTorch state_dict).
//
// Names: policy.<layer>.weight|bias (the policy MLP, Linear layers at even indices),
// value.<layer>.* (PPO's value MLP), log_std (PPO's Gaussian), critic.q.<layer>.* (MPO's Q
// network), obs_normalizer.mean|var|count (float64; var is the population variance; a file may
// give obs_normalizer.std instead, read as var = std^2 - epsilon).
#pragma once

#include <torch/nn/module.h>

#include <map>
#include <string>

#include "sinew/core/running_normalizer.h"

namespace sinew {

using NamedTensors = std::map<std::string, torch::Tensor>;

// `module`'s parameters (recursively) as "<prefix><name>", sharing storage with the module.
NamedTensors module_tensors(const torch::nn::Module& module, const std::string& prefix = "");

// obs_normalizer.mean, .var and .count of `normalizer` as float64 tensors.
NamedTensors normalizer_tensors(const RunningNormalizer& normalizer);

// A normalizer of dimension `dim` from obs_normalizer.* in `tensors`, with `clip` and `epsilon`;
// `default_count` when the tensors have no count. Throws UserError naming `source` and the
// tensor when one is missing or of the wrong shape.
RunningNormalizer normalizer_from_tensors(const NamedTensors& tensors, int dim, double clip,
                                          double epsilon, double default_count,
                                          const std::string& source);

// "[64, 3]"
std::string shape_text(const torch::Tensor& tensor);

}  // namespace sinew
