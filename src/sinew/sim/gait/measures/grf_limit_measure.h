#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

// Ground reaction force limit: sum over feet of max(0, load / body weight - threshold), from
// `start_s` into the episode on (SCONE's Grf14 starts at 1 s, after the landing).
class GrfLimitMeasure : public GaitMeasure {
 public:
  explicit GrfLimitMeasure(double threshold_bw, double start_s = 0)
      : threshold_(threshold_bw), start_s_(start_s) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double threshold_;
  double start_s_;
};

// Reads env.reward.<term>.* for measure: grf_limit (measure_registry.h).
MeasureEntry grf_limit_measure_entry();

}  // namespace sinew
