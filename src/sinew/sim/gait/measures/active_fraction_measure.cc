#include "sinew/sim/gait/measures/active_fraction_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double ActiveFractionMeasure::value(const GaitSample& s) {
  if (s.activations.empty()) return 0;
  auto active = std::count_if(s.activations.begin(), s.activations.end(),
                              [&](double a) { return a > threshold_; });
  return static_cast<double>(active) / static_cast<double>(s.activations.size());
}

std::string ActiveFractionMeasure::what() const {
  return fmt::format("fraction of muscles with activation > {:g}", threshold_);
}

MeasureEntry active_fraction_measure_entry() {
  MeasureEntry e;
  e.name = "active_fraction";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    double threshold = k.number("threshold", 0, 1);
    return [threshold] { return std::make_unique<ActiveFractionMeasure>(threshold); };
  };
  return e;
}

}  // namespace sinew
