#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// Cubed muscle activation, sum(a^3) / n (SCONE's effort measure "CubedMuscleActivation").
class CubedActivationMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Reads env.reward.<term>.* for measure: cubed_activation (measure_registry.h).
MeasureEntry cubed_activation_measure_entry();

}  // namespace sinew
