#pragma once

#include <string>

#include "sinew/sim/measures/gait_measure.h"

namespace sinew {

// Cubed muscle activation, sum(a^3) / n (SCONE's effort measure "CubedMuscleActivation").
class CubedActivationMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

}  // namespace sinew
