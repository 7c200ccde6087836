#include "sinew/sim/gait/measures/excitation_change_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double ExcitationChangeMeasure::value(const GaitSample& s) {
  if (s.excitations.empty()) return 0;
  double total = 0;
  for (std::size_t i = 0; i < s.excitations.size(); ++i) {
    double d = s.excitations[i] - s.previous_excitations[i];
    total += d * d;
  }
  return total / static_cast<double>(s.excitations.size());
}

std::string ExcitationChangeMeasure::what() const {
  return "mean squared change of excitations per step";
}

MeasureEntry excitation_change_measure_entry() {
  MeasureEntry e;
  e.name = "excitation_change";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    return [] { return std::make_unique<ExcitationChangeMeasure>(); };
  };
  return e;
}

}  // namespace sinew
