#include "sinew/sim/gait/measures/joint_limit_torque_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double JointLimitTorqueMeasure::value(const GaitSample& s) {
  if (s.limit_torques_Nm.empty()) return 0;
  double total = 0;
  for (double t : s.limit_torques_Nm) total += std::fabs(t);
  return total / static_cast<double>(s.limit_torques_Nm.size());
}

std::string JointLimitTorqueMeasure::what() const { return "mean |soft joint-limit torque| [N m]"; }

MeasureEntry joint_limit_torque_measure_entry() {
  MeasureEntry e;
  e.name = "joint_limit_torque";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    return [] { return std::make_unique<JointLimitTorqueMeasure>(); };
  };
  return e;
}

}  // namespace sinew
