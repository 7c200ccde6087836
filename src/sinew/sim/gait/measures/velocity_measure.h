#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// sconegym velocity term: exp(-(v - target)^2) below the target velocity, 1 at or above it.
class VelocityMeasure : public GaitMeasure {
 public:
  explicit VelocityMeasure(double target_mps) : target_(target_mps) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double target_;
};

// Reads env.reward.<term>.* for measure: velocity (measure_registry.h).
MeasureEntry velocity_measure_entry();

}  // namespace sinew
