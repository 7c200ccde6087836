#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// Mean absolute soft joint-limit torque [N m] over the limited DOFs.
class JointLimitTorqueMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Reads env.reward.<term>.* for measure: joint_limit_torque (measure_registry.h).
MeasureEntry joint_limit_torque_measure_entry();

}  // namespace sinew
