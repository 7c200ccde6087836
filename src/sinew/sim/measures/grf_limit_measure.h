#pragma once

#include <string>

#include "sinew/sim/measures/gait_measure.h"

namespace sinew {

// Ground reaction force limit: sum over feet of max(0, load / body weight - threshold).
class GrfLimitMeasure : public GaitMeasure {
 public:
  explicit GrfLimitMeasure(double threshold_bw) : threshold_(threshold_bw) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double threshold_;
};

}  // namespace sinew
