#include "sinew/sim/gait/measures/velocity_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double VelocityMeasure::value(const GaitSample& s) {
  const double v = s.com_velocity_x_mps;
  return v < target_ ? std::exp(-(v - target_) * (v - target_)) : 1.0;
}

std::string VelocityMeasure::what() const {
  return fmt::format("exp(-(v - {:g})^2) below {:g} m/s forward COM velocity, else 1", target_,
                     target_);
}

MeasureEntry velocity_measure_entry() {
  MeasureEntry e;
  e.name = "velocity";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    double target = k.number("target", 0, 100);
    return [target] { return std::make_unique<VelocityMeasure>(target); };
  };
  return e;
}

}  // namespace sinew
