#include "sinew/sim/measures/angular_velocity_measure.h"

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

}  // namespace sinew
