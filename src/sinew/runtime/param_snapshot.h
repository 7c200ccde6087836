// An immutable copy of the policy parameters and observation statistics, tagged with the
// learner's version number. Actors read it; the learner publishes a new one after each update.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <vector>

#include "sinew/nn/running_normalizer.h"

namespace sinew {

struct ParamSnapshot {
  int64_t version = 0;                 // learner updates applied
  std::vector<torch::Tensor> params;   // detached copies, in ActorCritic::parameters() order
  RunningNormalizer obs_normalizer;    // statistics at publish time

  // Copies the parameters into `model`, which must have the same architecture.
  void copy_to(torch::nn::Module& model) const;
};

}  // namespace sinew
