// The observation's parts as a run uses them: checked once against the spec, and turned into
// the normalizer the networks start from.
#pragma once

#include "sinew/core/running_normalizer.h"
#include "sinew/env/env.h"

namespace sinew {

// Throws std::logic_error naming the env and the part when the parts of `spec` are not in
// order, overlap, leave values out, or have a shape whose product is not their size (an env's
// own mistake, not the user's).
void check_observation_parts(const EnvSpec& spec);

// A normalizer of spec.obs_dim values whose parts with fixed normalization (ObsPart::scale, or
// uint8) are held at their center and scale; the rest learn running statistics.
RunningNormalizer observation_normalizer(const EnvSpec& spec);

}  // namespace sinew
