#pragma once

#include <string>

#include "sinew/sim/measures/gait_measure.h"

namespace sinew {

// Mean squared change of the excitations since the previous step.
class ExcitationChangeMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

}  // namespace sinew
