#include "sinew/sim/gait_measures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double VelocityMeasure::value(const GaitSample& s) const {
  const double v = s.com_velocity_x_mps;
  return v < target_ ? std::exp(-(v - target_) * (v - target_)) : 1.0;
}
std::string VelocityMeasure::what() const {
  return fmt::format("exp(-(v - {:g})^2) below {:g} m/s forward COM velocity, else 1", target_,
                     target_);
}

double MinVelocityMeasure::value(const GaitSample& s) const {
  const double short_by = min_ - s.com_velocity_x_mps;
  return short_by > 0 ? short_by * short_by : 0.0;
}
std::string MinVelocityMeasure::what() const {
  return fmt::format("(v_min - v)^2 when the COM is slower than {:g} m/s", min_);
}

double GrfLimitMeasure::value(const GaitSample& s) const {
  double total = 0;
  for (double load : s.foot_load_N) total += std::max(0.0, load / s.body_weight_N - threshold_);
  return total;
}
std::string GrfLimitMeasure::what() const {
  return fmt::format("sum over feet of max(0, load / body weight - {:g})", threshold_);
}

double JointLimitTorqueMeasure::value(const GaitSample& s) const {
  if (s.limit_torques_Nm.empty()) return 0;
  double total = 0;
  for (double t : s.limit_torques_Nm) total += std::fabs(t);
  return total / static_cast<double>(s.limit_torques_Nm.size());
}
std::string JointLimitTorqueMeasure::what() const {
  return "mean |soft joint-limit torque| [N m]";
}

double ExcitationChangeMeasure::value(const GaitSample& s) const {
  if (s.excitations.empty()) return 0;
  double total = 0;
  for (std::size_t i = 0; i < s.excitations.size(); ++i) {
    double d = s.excitations[i] - s.previous_excitations[i];
    total += d * d;
  }
  return total / static_cast<double>(s.excitations.size());
}
std::string ExcitationChangeMeasure::what() const {
  return "mean squared change of excitations per step";
}

double ActiveFractionMeasure::value(const GaitSample& s) const {
  if (s.activations.empty()) return 0;
  auto active = std::count_if(s.activations.begin(), s.activations.end(),
                              [&](double a) { return a > threshold_; });
  return static_cast<double>(active) / static_cast<double>(s.activations.size());
}
std::string ActiveFractionMeasure::what() const {
  return fmt::format("fraction of muscles with activation > {:g}", threshold_);
}

double CubedActivationMeasure::value(const GaitSample& s) const {
  if (s.activations.empty()) return 0;
  double total = 0;
  for (double a : s.activations) total += a * a * a;
  return total / static_cast<double>(s.activations.size());
}
std::string CubedActivationMeasure::what() const { return "sum(a^3) / n over muscles"; }

}  // namespace sinew
