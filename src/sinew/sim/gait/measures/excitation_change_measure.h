#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// Mean squared change of the excitations since the previous step.
class ExcitationChangeMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Reads env.reward.<term>.* for measure: excitation_change (measure_registry.h).
MeasureEntry excitation_change_measure_entry();

}  // namespace sinew
