// The four-parameter assistance torque profile of human-in-the-loop exoskeleton studies (Zhang et
// al., Science 2017): over the gait cycle (phase 0 at heel strike, 1 at the next one of the same
// foot) the torque is zero until onset = peak_time - rise_time, rises to peak_torque at
// peak_time and falls back to zero at peak_time + fall_time, each side a cubic with zero slope at
// both ends (the spline nodes of Zhang 2017 and of PredSim's example). Times are fractions of
// the stride; a profile may wrap past the end of the cycle.
#pragma once

#include <string>

namespace sinew {

struct AssistanceProfile {
  double peak_torque_Nm = 0;  // >= 0; the device's direction gives its sign
  double peak_time = 0.5;     // fraction of the stride, in [0, 1)
  double rise_time = 0.25;    // fraction of the stride, > 0
  double fall_time = 0.1;     // fraction of the stride, > 0; rise + fall <= 1

  // The torque magnitude [N m] at gait phase `phase` (any real; taken modulo 1).
  double torque_Nm(double phase) const;
  // Throws UserError "<key>: ..." naming the first parameter out of range (`key` is the config
  // key of the profile, e.g. exo.profile).
  void check(const std::string& key) const;
};

}  // namespace sinew
