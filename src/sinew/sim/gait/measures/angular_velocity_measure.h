#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// |omega| of the torso [rad/s] (SCONE BodyAngularVelocity), squared or absolute; with an axis
// (0, 1, 2 = world x, y, z) only that component.
class AngularVelocityMeasure : public GaitMeasure {
 public:
  AngularVelocityMeasure(int axis, bool squared) : axis_(axis), squared_(squared) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  int axis_;  // -1: the norm
  bool squared_;
};

// Reads env.reward.<term>.* for measure: angular_velocity (measure_registry.h).
MeasureEntry angular_velocity_measure_entry();

}  // namespace sinew
