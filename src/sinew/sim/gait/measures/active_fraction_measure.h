#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// Fraction of muscles with activation above a threshold (sconegym: 0.15).
class ActiveFractionMeasure : public GaitMeasure {
 public:
  explicit ActiveFractionMeasure(double threshold) : threshold_(threshold) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double threshold_;
};

// Reads env.reward.<term>.* for measure: active_fraction (measure_registry.h).
MeasureEntry active_fraction_measure_entry();

}  // namespace sinew
