#include "sinew/sim/gait_measures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double VelocityMeasure::value(const GaitSample& s) {
  const double v = s.com_velocity_x_mps;
  return v < target_ ? std::exp(-(v - target_) * (v - target_)) : 1.0;
}
std::string VelocityMeasure::what() const {
  return fmt::format("exp(-(v - {:g})^2) below {:g} m/s forward COM velocity, else 1", target_,
                     target_);
}

double MinVelocityMeasure::value(const GaitSample& s) {
  const double short_by = min_ - s.com_velocity_x_mps;
  return short_by > 0 ? short_by * short_by : 0.0;
}
std::string MinVelocityMeasure::what() const {
  return fmt::format("(v_min - v)^2 when the COM is slower than {:g} m/s", min_);
}

double GrfLimitMeasure::value(const GaitSample& s) {
  double total = 0;
  for (double load : s.foot_load_N) total += std::max(0.0, load / s.body_weight_N - threshold_);
  return total;
}
std::string GrfLimitMeasure::what() const {
  return fmt::format("sum over feet of max(0, load / body weight - {:g})", threshold_);
}

double JointLimitTorqueMeasure::value(const GaitSample& s) {
  if (s.limit_torques_Nm.empty()) return 0;
  double total = 0;
  for (double t : s.limit_torques_Nm) total += std::fabs(t);
  return total / static_cast<double>(s.limit_torques_Nm.size());
}
std::string JointLimitTorqueMeasure::what() const {
  return "mean |soft joint-limit torque| [N m]";
}

double ExcitationChangeMeasure::value(const GaitSample& s) {
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

double ActiveFractionMeasure::value(const GaitSample& s) {
  if (s.activations.empty()) return 0;
  auto active = std::count_if(s.activations.begin(), s.activations.end(),
                              [&](double a) { return a > threshold_; });
  return static_cast<double>(active) / static_cast<double>(s.activations.size());
}
std::string ActiveFractionMeasure::what() const {
  return fmt::format("fraction of muscles with activation > {:g}", threshold_);
}

double CubedActivationMeasure::value(const GaitSample& s) {
  if (s.activations.empty()) return 0;
  double total = 0;
  for (double a : s.activations) total += a * a * a;
  return total / static_cast<double>(s.activations.size());
}
std::string CubedActivationMeasure::what() const { return "sum(a^3) / n over muscles"; }

double MeasureShaping::apply(double value) const {
  double m = value + offset;
  if (transition <= 0) return m;
  if (m < threshold) return 0;
  if (m < threshold + transition) return m * (m - threshold) / transition;
  return m;
}

double MetabolicMeasure::muscle_mass_kg(const MuscleParameters& p) {
  constexpr double kSpecificTension_Pa = 0.25e6, kDensity = 1059.7;
  return p.max_isometric_force_N / kSpecificTension_Pa * p.optimal_fiber_length_m * kDensity;
}

double MetabolicMeasure::muscle_rate_W(double u, double a, double l, double v, double force,
                                       double active_force, double mass) {
  constexpr double s = 0.5;  // slow-twitch ratio
  const double activation_heat = 40 * s * std::sin(M_PI_2 * u) +
                                 133 * (1 - s) * (1 - std::cos(M_PI_2 * u));
  const double maintenance = 74 * s * std::sin(M_PI_2 * a) +
                             111 * (1 - s) * (1 - std::cos(M_PI_2 * a));
  double g = 0;
  if (l < 0.5) {
    g = 0.5;
  } else if (l < 1.0) {
    g = l;
  } else if (l < 1.5) {
    g = -2 * l + 3;
  }
  return mass * (activation_heat + g * maintenance) + std::max(0.0, 0.25 * force * -v) +
         std::max(0.0, active_force * -v);
}

double MetabolicMeasure::value(const GaitSample& s) {
  double total = 1.51 * s.body_mass_kg;  // basal
  for (const auto& mu : s.muscles) {
    const auto& st = mu.state();
    const auto& p = mu.parameters();
    total += muscle_rate_W(st.excitation, st.activation, st.fiber_length_m / p.optimal_fiber_length_m,
                           st.fiber_velocity_mps, st.force_N, st.active_fiber_force_N,
                           muscle_mass_kg(p));
  }
  return per_kg_ ? total / s.body_mass_kg : total;
}
std::string MetabolicMeasure::what() const {
  return per_kg_ ? "Wang 2012 metabolic power per body mass [W/kg]" : "Wang 2012 metabolic power [W]";
}

double DofLimitMeasure::value(const GaitSample& s) {
  if (index_ < 0) {
    for (std::size_t i = 0; i < s.dof_names.size(); ++i) {
      if (s.dof_names[i] == dof_) index_ = static_cast<int>(i);
    }
    if (index_ < 0) return 0;
  }
  const double q = s.dof_positions[index_];
  const double outside = q < lower_ ? lower_ - q : q > upper_ ? q - upper_ : 0.0;
  return squared_ ? outside * outside : outside;
}
std::string DofLimitMeasure::what() const {
  return fmt::format("{} outside [{:.1f}, {:.1f}] deg, {}", dof_, lower_ * 180 / M_PI,
                     upper_ * 180 / M_PI, squared_ ? "squared" : "absolute");
}

double AngularVelocityMeasure::value(const GaitSample& s) {
  const auto& w = s.torso_angular_velocity_radps;
  double x = axis_ >= 0 ? std::fabs(w[axis_]) : std::sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
  return squared_ ? x * x : x;
}
std::string AngularVelocityMeasure::what() const {
  return fmt::format("torso angular velocity{} [rad/s], {}",
                     axis_ >= 0 ? fmt::format(" about axis {}", axis_) : "",
                     squared_ ? "squared" : "absolute");
}

MimicMeasure::MimicMeasure(MotionTable reference, double activation_weight, double average_limit,
                           double peak_limit)
    : reference_(std::move(reference)),
      activation_weight_(activation_weight),
      average_limit_(average_limit),
      peak_limit_(peak_limit) {}

void MimicMeasure::reset() {
  error_sum_ = 0;
  steps_ = 0;
  terminate_ = false;
}

double MimicMeasure::value(const GaitSample& s) {
  if (!resolved_) {
    // every DOF with a reference column except the forward position, every muscle activation
    for (std::size_t i = 0; i < s.dof_names.size(); ++i) {
      if (s.dof_names[i] != "pelvis_tx" && reference_.has_column(s.dof_names[i])) {
        dofs_.emplace_back(static_cast<int>(i), reference_.column(s.dof_names[i]));
      }
    }
    for (std::size_t i = 0; i < s.muscles.size(); ++i) {
      std::string label = s.muscles[i].parameters().name + ".activation";
      if (reference_.has_column(label)) muscles_.emplace_back(static_cast<int>(i), reference_.column(label));
    }
    resolved_ = true;
  }
  // the reference repeats when the episode outlasts it
  const double t = reference_.duration_s() > 0
                       ? reference_.times().front() + std::fmod(s.time_s, reference_.duration_s())
                       : 0.0;
  double error = 0, peak = 0;
  for (auto [dof, col] : dofs_) {
    double ref = reference_.at(t, col);
    const bool angle = s.dof_names[dof] != "pelvis_ty";
    if (angle && reference_.in_degrees()) ref *= M_PI / 180;
    const double e = (s.dof_positions[dof] - ref) * (s.dof_positions[dof] - ref);
    error += e;
    peak = std::max(peak, e);
  }
  error = dofs_.empty() ? 0 : error / static_cast<double>(dofs_.size());
  if (activation_weight_ > 0 && !muscles_.empty()) {
    double a_error = 0;
    for (auto [m, col] : muscles_) {
      double d = s.activations[m] - reference_.at(t, col);
      a_error += d * d;
    }
    error += activation_weight_ * a_error / static_cast<double>(muscles_.size());
  }
  error_sum_ += error;
  ++steps_;
  terminate_ = (average_limit_ > 0 && error_sum_ / steps_ > average_limit_) ||
               (peak_limit_ > 0 && peak > peak_limit_);
  return error;
}
std::vector<double> MimicMeasure::episode_state() const {
  return {error_sum_, static_cast<double>(steps_), terminate_ ? 1.0 : 0.0};
}

void MimicMeasure::set_episode_state(const std::vector<double>& state) {
  if (state.size() != 3) return;
  error_sum_ = state[0];
  steps_ = static_cast<int64_t>(state[1]);
  terminate_ = state[2] != 0;
}

std::string MimicMeasure::what() const {
  return fmt::format("mean squared error to the reference motion {} ({} rows)", reference_.name(),
                     reference_.rows());
}

}  // namespace sinew
