#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// A DOF outside [lower, upper] [rad]: the violation, squared or absolute (SCONE DofLimits).
class DofLimitMeasure : public GaitMeasure {
 public:
  DofLimitMeasure(std::string dof, double lower_rad, double upper_rad, bool squared)
      : dof_(std::move(dof)), lower_(lower_rad), upper_(upper_rad), squared_(squared) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  std::string dof_;
  double lower_, upper_;
  bool squared_;
  int index_ = -1;  // resolved on first use
};

// Reads env.reward.<term>.* for measure: dof_limit (measure_registry.h).
MeasureEntry dof_limit_measure_entry();

}  // namespace sinew
