// The gait phase of one leg estimated online from its foot contact, as exoskeletons do (heel
// strike detection with foot switches or an IMU, Zhang 2017): a heel strike is the foot's load
// rising above on_N after it was below off_N for at least min_swing_s (hysteresis and a
// debounce against chatter and a brief lift in stance); the phase is the
// time since the last heel strike divided by the mean duration of the last `strides` strides,
// held at 1 when a stride runs long. Strides outside [min_stride_s, max_stride_s] (a stumble, a
// pause) are not averaged. There is no estimate before two heel strikes.
//
// Not thread-safe; one per leg per env.
#pragma once

#include <deque>
#include <optional>

namespace sinew {

class BinaryReader;
class BinaryWriter;

class GaitPhaseEstimator {
 public:
  struct Options {
    double on_N = 50;   // load that makes a contact [N]
    double off_N = 20;  // load below which the foot is off the ground [N]
    int strides = 3;
    double min_stride_s = 0.4;
    double max_stride_s = 2.5;
    double min_swing_s = 0.1;  // the foot off the ground at least this long before a strike
  };
  explicit GaitPhaseEstimator(Options options) : options_(options) {}

  // Forgets every stride (a new episode).
  void reset();
  // The foot's load [N] at time t_s (non-decreasing between resets).
  void update(double t_s, double load_N);
  // The phase in [0, 1] at time t_s, or none yet.
  std::optional<double> phase(double t_s) const;
  // The stride duration the phase is measured against [s], 0 before two heel strikes.
  double stride_s() const;
  int heel_strikes() const { return strikes_; }
  bool in_contact() const { return contact_; }

  void save(BinaryWriter* out) const;
  void load(BinaryReader* in);

 private:
  Options options_;
  bool contact_ = false;
  bool armed_ = false;       // was below off_N for min_swing_s since the last strike (or reset)
  double off_since_s_ = -1;  // when the load last fell below off_N; -1: on the ground
  int strikes_ = 0;
  double last_strike_s_ = 0;
  std::deque<double> durations_;
};

}  // namespace sinew
