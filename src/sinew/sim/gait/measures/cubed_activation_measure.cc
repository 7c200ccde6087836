#include "sinew/sim/gait/measures/cubed_activation_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double CubedActivationMeasure::value(const GaitSample& s) {
  if (s.activations.empty()) return 0;
  double total = 0;
  for (double a : s.activations) total += a * a * a;
  return total / static_cast<double>(s.activations.size());
}

std::string CubedActivationMeasure::what() const { return "sum(a^3) / n over muscles"; }

MeasureEntry cubed_activation_measure_entry() {
  MeasureEntry e;
  e.name = "cubed_activation";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    return [] { return std::make_unique<CubedActivationMeasure>(); };
  };
  return e;
}

}  // namespace sinew
