// How a measure value becomes a reward term (SCONE's offset / threshold / transition).
#pragma once

namespace sinew {

// SCONE's common rule: m = value + offset; with a threshold, 0 below it and
// m (m - threshold) / transition inside the transition band above it.
struct MeasureShaping {
  double offset = 0;
  double threshold = 0;
  double transition = 0;  // 0: no threshold
  double apply(double value) const;
};

}  // namespace sinew
