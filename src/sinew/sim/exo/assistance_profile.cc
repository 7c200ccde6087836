#include "sinew/sim/exo/assistance_profile.h"

#include <fmt/format.h>

#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

// 0 at u = 0, 1 at u = 1, zero slope at both
double smooth_step(double u) { return u * u * (3 - 2 * u); }

}  // namespace

double AssistanceProfile::torque_Nm(double phase) const {
  // time since onset, as a fraction of the stride, in [0, 1)
  const double onset = peak_time - rise_time;
  double since = std::fmod(phase - onset, 1.0);
  if (since < 0) since += 1.0;
  if (since < rise_time) return peak_torque_Nm * smooth_step(since / rise_time);
  const double after_peak = since - rise_time;
  if (after_peak < fall_time) return peak_torque_Nm * smooth_step(1 - after_peak / fall_time);
  return 0.0;
}

void AssistanceProfile::check(const std::string& key) const {
  auto fail = [&](const std::string& name, double value, const std::string& rule) {
    throw ConfigError(key + "." + name,
                      fmt::format("{}.{} is {}; it must be {}", key, name, value, rule));
  };
  if (!(peak_torque_Nm >= 0) || !std::isfinite(peak_torque_Nm)) {
    fail("peak_torque", peak_torque_Nm, "0 or more [N m]");
  }
  if (!(peak_time >= 0 && peak_time < 1)) fail("peak_time", peak_time, "in [0, 1) of the stride");
  if (!(rise_time > 0 && rise_time <= 1)) fail("rise_time", rise_time, "in (0, 1] of the stride");
  if (!(fall_time > 0 && fall_time <= 1)) fail("fall_time", fall_time, "in (0, 1] of the stride");
  if (rise_time + fall_time > 1) {
    fail("fall_time", fall_time, fmt::format("at most 1 - rise_time ({})", 1 - rise_time));
  }
}

}  // namespace sinew
