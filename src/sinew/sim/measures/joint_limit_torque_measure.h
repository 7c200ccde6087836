#pragma once

#include <string>

#include "sinew/sim/measures/gait_measure.h"

namespace sinew {

// Mean absolute soft joint-limit torque [N m] over the limited DOFs.
class JointLimitTorqueMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

}  // namespace sinew
