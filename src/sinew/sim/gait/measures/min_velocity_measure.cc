#include "sinew/sim/gait/measures/min_velocity_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double MinVelocityMeasure::value(const GaitSample& s) {
  const double short_by = min_ - s.com_velocity_x_mps;
  return short_by > 0 ? short_by * short_by : 0.0;
}

std::string MinVelocityMeasure::what() const {
  return fmt::format("(v_min - v)^2 when the COM is slower than {:g} m/s", min_);
}

MeasureEntry min_velocity_measure_entry() {
  MeasureEntry e;
  e.name = "min_velocity";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    double target = k.number("target", 0, 100);
    return [target] { return std::make_unique<MinVelocityMeasure>(target); };
  };
  return e;
}

}  // namespace sinew
