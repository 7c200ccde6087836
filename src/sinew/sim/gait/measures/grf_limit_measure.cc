#include "sinew/sim/gait/measures/grf_limit_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double GrfLimitMeasure::value(const GaitSample& s) {
  if (s.time_s < start_s_) return 0;
  double total = 0;
  for (double load : s.foot_load_N) total += std::max(0.0, load / s.body_weight_N - threshold_);
  return total;
}

std::string GrfLimitMeasure::what() const {
  return fmt::format("sum over feet of max(0, load / body weight - {:g})", threshold_);
}

MeasureEntry grf_limit_measure_entry() {
  MeasureEntry e;
  e.name = "grf_limit";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    double threshold = k.number("threshold", 0, 100);
    double start = k.optional("start_s", 0);
    return [=] { return std::make_unique<GrfLimitMeasure>(threshold, start); };
  };
  return e;
}

}  // namespace sinew
