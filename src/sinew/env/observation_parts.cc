#include "sinew/env/observation_parts.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

namespace sinew {

void check_observation_parts(const EnvSpec& spec) {
  int next = 0;
  for (const ObsPart& part : spec.observation_parts()) {
    if (part.offset != next || part.size <= 0) {
      throw std::logic_error(fmt::format(
          "env {}: observation part '{}' is at [{}, {}); the parts must follow each other from "
          "0 without gaps or overlaps (expected it at {})",
          spec.name, part.name, part.offset, part.offset + part.size, next));
    }
    int64_t product = 1;
    for (int d : part.part_shape()) product *= d;
    if (product != part.size) {
      throw std::logic_error(fmt::format("env {}: observation part '{}' has shape {} but {} values",
                                         spec.name, part.name, fmt::join(part.part_shape(), "x"),
                                         part.size));
    }
    next += part.size;
  }
  if (next != spec.obs_dim) {
    throw std::logic_error(fmt::format("env {}: its observation parts cover {} of {} values",
                                       spec.name, next, spec.obs_dim));
  }
}

RunningNormalizer observation_normalizer(const EnvSpec& spec) {
  RunningNormalizer normalizer(spec.obs_dim);
  for (const ObsPart& part : spec.observation_parts()) {
    if (part.fixed_normalization()) {
      normalizer.hold(part.offset, part.size, part.normalization_center(),
                      part.normalization_scale());
    }
  }
  return normalizer;
}

}  // namespace sinew
