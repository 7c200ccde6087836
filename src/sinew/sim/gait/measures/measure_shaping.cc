#include "sinew/sim/gait/measures/measure_shaping.h"

namespace sinew {

double MeasureShaping::apply(double value) const {
  double m = value + offset;
  if (transition <= 0) return m;
  if (m < threshold) return 0;
  if (m < threshold + transition) return m * (m - threshold) / transition;
  return m;
}

}  // namespace sinew
