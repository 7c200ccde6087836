#include "sinew/sim/gait/measures/angular_velocity_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double AngularVelocityMeasure::value(const GaitSample& s) {
  const auto& w = s.torso_angular_velocity_radps;
  double x = axis_ >= 0 ? std::fabs(w[axis_]) : std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
  return squared_ ? x * x : x;
}

std::string AngularVelocityMeasure::what() const {
  return fmt::format("torso angular velocity{} [rad/s], {}",
                     axis_ >= 0 ? fmt::format(" about axis {}", axis_) : "",
                     squared_ ? "squared" : "absolute");
}

MeasureEntry angular_velocity_measure_entry() {
  MeasureEntry e;
  e.name = "angular_velocity";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    const Config& config = k.config;
    const std::string& key = k.key;
    int axis = static_cast<int>(config.get_int(key + ".axis", -1, 2));
    bool squared = config.get_bool(key + ".squared");
    return [=] { return std::make_unique<AngularVelocityMeasure>(axis, squared); };
  };
  return e;
}

}  // namespace sinew
