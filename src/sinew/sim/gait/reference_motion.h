// A recorded motion used as a periodic reference: gait initial states at a phase (reference
// state initialization), tracking rewards and the phase observation read it at the same
// reference time. Reference times count from the table's first row, and the table is taken to
// repeat: time t reads the row at t0 + (t mod duration).
#pragma once

#include <memory>
#include <string>

#include "sinew/sim/motion_table.h"

namespace sinew {

class ReferenceMotion {
 public:
  // Throws UserError naming the file when the table has fewer than two rows.
  explicit ReferenceMotion(MotionTable table);

  // The period [s]: the table's duration (its last row is taken to equal its first).
  double period_s() const { return period_s_; }
  // A reference time wrapped into [0, period).
  double wrap(double time_s) const;
  // Phase in [0, 1) of a reference time.
  double phase(double time_s) const;

  bool has(const std::string& label) const { return table_.has_column(label); }
  // The value of a column at a reference time, angles in [rad] (converted from degrees when the
  // file is in degrees; columns named pelvis_tx / pelvis_ty are translations [m]).
  double value(const std::string& label, double time_s) const;
  // Its time derivative (central difference over +-5 ms, across the wrap), [rad/s] or [m/s].
  double rate(const std::string& label, double time_s) const;
  // The same by column index (table().column(label)), for per-step use without name lookups.
  double value(std::size_t column, double time_s) const;
  double rate(std::size_t column, double time_s) const;

  const MotionTable& table() const { return table_; }

 private:
  double raw(std::size_t column, double time_s) const;
  double scale(std::size_t column) const;

  MotionTable table_;
  double start_s_ = 0;
  double period_s_ = 0;
};

}  // namespace sinew
