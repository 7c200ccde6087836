#pragma once

#include <string>

#include "sinew/sim/measures/gait_measure.h"

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

}  // namespace sinew
