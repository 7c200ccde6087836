#include "sinew/sim/measures/dof_limit_measure.h"

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

}  // namespace sinew
