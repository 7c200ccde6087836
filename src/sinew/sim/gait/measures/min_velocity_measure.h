#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// SCONE's minimum-velocity form: 0 at or above the minimum, else (min - v)^2 (a penalty).
class MinVelocityMeasure : public GaitMeasure {
 public:
  explicit MinVelocityMeasure(double min_mps) : min_(min_mps) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double min_;
};

// Reads env.reward.<term>.* for measure: min_velocity (measure_registry.h).
MeasureEntry min_velocity_measure_entry();

}  // namespace sinew
