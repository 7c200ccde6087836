// An immutable copy of the acting policy's parameters and observation statistics, tagged with the
// learner's version number, as plain CPU data (no torch): actors read it, the learner publishes a
// new one after each update. Being plain bytes, the same snapshot can be sent over a network
// (to_bytes / from_bytes) or copied to a GPU; nn/param_copy.h moves it in and out of a module.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sinew/core/running_normalizer.h"

namespace sinew {

struct ParamSnapshot {
  int64_t version = 0;                       // learner updates applied
  std::vector<std::vector<int64_t>> shapes;  // each parameter's shape, in the module's order
  std::vector<float> values;                 // every parameter's values, one after another
  RunningNormalizer obs_normalizer;          // statistics at publish time

  // Values of all parameters (the product of every shape, summed).
  int64_t num_values() const;

  // Version, shapes, values and statistics as one byte string; from_bytes() restores them exactly
  // and throws UserError naming `source` on damaged or inconsistent data.
  std::string to_bytes() const;
  static ParamSnapshot from_bytes(const std::string& bytes, const std::string& source);
};

}  // namespace sinew
