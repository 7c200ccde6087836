#include "sinew/sim/gait/reference_motion.h"

#include <fmt/format.h>

#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {

ReferenceMotion::ReferenceMotion(MotionTable table) : table_(std::move(table)) {
  if (table_.rows() < 2 || table_.duration_s() <= 0) {
    throw UserError(
        fmt::format("{}: a reference motion needs at least two rows over time", table_.name()));
  }
  start_s_ = table_.times().front();
  period_s_ = table_.duration_s();
}

double ReferenceMotion::wrap(double time_s) const {
  double t = std::fmod(time_s, period_s_);
  if (t < 0) t += period_s_;
  return t;
}

double ReferenceMotion::phase(double time_s) const { return wrap(time_s) / period_s_; }

double ReferenceMotion::scale(std::size_t column) const {
  const std::string& label = table_.labels()[column];
  const bool translation = label == "pelvis_tx" || label == "pelvis_ty";
  return table_.in_degrees() && !translation ? M_PI / 180.0 : 1.0;
}

double ReferenceMotion::raw(std::size_t column, double time_s) const {
  return table_.at(start_s_ + wrap(time_s), column);
}

double ReferenceMotion::value(const std::string& label, double time_s) const {
  return value(table_.column(label), time_s);
}

double ReferenceMotion::rate(const std::string& label, double time_s) const {
  return rate(table_.column(label), time_s);
}

double ReferenceMotion::value(std::size_t column, double time_s) const {
  return raw(column, time_s) * scale(column);
}

double ReferenceMotion::rate(std::size_t c, double time_s) const {
  constexpr double h = 0.005;
  double before = raw(c, time_s - h), after = raw(c, time_s + h);
  // a translation that grows over the table (pelvis_tx) jumps back at the wrap: undo the jump
  const double span = table_.value(table_.rows() - 1, c) - table_.value(0, c);
  if (wrap(time_s + h) < wrap(time_s - h)) after += span;
  return (after - before) / (2 * h) * scale(c);
}

}  // namespace sinew
