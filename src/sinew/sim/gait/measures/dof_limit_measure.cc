#include "sinew/sim/gait/measures/dof_limit_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double DofLimitMeasure::value(const GaitSample& s) {
  if (index_ < 0) {
    for (std::size_t i = 0; i < s.dof_names.size(); ++i) {
      if (s.dof_names[i] == dof_) index_ = static_cast<int>(i);
    }
    if (index_ < 0) return 0;
  }
  const double q = s.dof_positions[index_];
  const double outside = q < lower_ ? lower_ - q : q > upper_ ? q - upper_ : 0.0;
  return squared_ ? outside * outside : outside;
}

std::string DofLimitMeasure::what() const {
  return fmt::format("{} outside [{:.1f}, {:.1f}] deg, {}", dof_, lower_ * 180 / M_PI,
                     upper_ * 180 / M_PI, squared_ ? "squared" : "absolute");
}

MeasureEntry dof_limit_measure_entry() {
  MeasureEntry e;
  e.name = "dof_limit";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    const Config& config = k.config;
    const std::string& key = k.key;
    std::string dof = config.get_choice(
        key + ".dof", {"pelvis_tilt", "hip_flexion_r", "knee_angle_r", "ankle_angle_r",
                       "hip_flexion_l", "knee_angle_l", "ankle_angle_l"});
    double lower = k.number("lower_deg", -360, 360) * M_PI / 180;
    double upper = k.number("upper_deg", -360, 360) * M_PI / 180;
    bool squared = config.get_bool(key + ".squared");
    return [=] { return std::make_unique<DofLimitMeasure>(dof, lower, upper, squared); };
  };
  return e;
}

}  // namespace sinew
