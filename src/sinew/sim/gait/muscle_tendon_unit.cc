#include "sinew/sim/gait/muscle_tendon_unit.h"

#include <algorithm>
#include <cmath>

#include "sinew/sim/gait/muscle_curves.h"

namespace sinew {
namespace {

constexpr double kMaxPennation = 1.4;         // [rad], ~80 deg: the fiber may not go flat
constexpr double kElasticSubstep_s = 0.0002;  // fiber-length integration step, elastic tendon

// Normalized fiber velocity for a wanted force-velocity multiplier (inverse of
// muscle::force_velocity), clamped to [-1, 1].
double inverse_force_velocity(double f) {
  using muscle::kEccentricPlateau;
  using muscle::kHillShapeA;
  if (f <= 0.0) return -1.0;
  if (f <= 1.0) return (f - 1.0) / (1.0 + f / kHillShapeA);
  const double c = (kEccentricPlateau - 1.0) / (1.0 + 1.0 / kHillShapeA);
  f = std::min(f, kEccentricPlateau - 1e-3);
  return std::min(1.0, c * ((kEccentricPlateau - 1.0) / (kEccentricPlateau - f) - 1.0));
}

}  // namespace

MuscleTendonUnit::MuscleTendonUnit(MuscleParameters parameters, TendonModel tendon)
    : p_(std::move(parameters)), tendon_(tendon) {
  initialize(
      p_.tendon_slack_length_m + p_.optimal_fiber_length_m * std::cos(p_.pennation_at_optimal_rad),
      p_.min_activation);
}

double MuscleTendonUnit::thickness() const {
  return p_.optimal_fiber_length_m * std::sin(p_.pennation_at_optimal_rad);
}

double MuscleTendonUnit::min_fiber_length() const {
  // shortest fiber: the pennation limit, and never below 1% of l_opt
  return std::max(thickness() / std::sin(kMaxPennation), 0.01 * p_.optimal_fiber_length_m);
}

double MuscleTendonUnit::activation_rate(double u, double a, double tau_act_s, double tau_deact_s) {
  const double tau = u > a ? tau_act_s * (0.5 + 1.5 * a) : tau_deact_s / (0.5 + 1.5 * a);
  return (u - a) / tau;
}

void MuscleTendonUnit::evaluate_forces() {
  MuscleState& s = state_;
  const double l_opt = p_.optimal_fiber_length_m;
  const double sin_alpha = std::clamp(thickness() / s.fiber_length_m, 0.0, std::sin(kMaxPennation));
  s.pennation_rad = std::asin(sin_alpha);
  const double cos_alpha = std::cos(s.pennation_rad);
  const double l_norm = s.fiber_length_m / l_opt;
  const double v_norm = s.fiber_velocity_mps / (p_.max_contraction_velocity * l_opt);
  const double active =
      s.activation * muscle::active_force_length(l_norm) * muscle::force_velocity(v_norm);
  s.active_fiber_force_N = p_.max_isometric_force_N * active;
  const double fiber_force =
      p_.max_isometric_force_N * (active + muscle::passive_force_length(l_norm));
  if (tendon_ == TendonModel::kRigid) {
    s.tendon_length_m = p_.tendon_slack_length_m;
    s.force_N = std::max(0.0, fiber_force * cos_alpha);
  } else {
    s.tendon_length_m = s.mtu_length_m - s.fiber_length_m * cos_alpha;
    const double strain = (s.tendon_length_m - p_.tendon_slack_length_m) / p_.tendon_slack_length_m;
    s.force_N = p_.max_isometric_force_N * muscle::tendon_force_strain(strain);
  }
}

double MuscleTendonUnit::static_residual(double l_fiber, double mtu_length, double a) const {
  const double sin_alpha = std::clamp(thickness() / l_fiber, 0.0, std::sin(kMaxPennation));
  const double cos_alpha = std::sqrt(1.0 - sin_alpha * sin_alpha);
  const double l_norm = l_fiber / p_.optimal_fiber_length_m;
  const double fiber = p_.max_isometric_force_N * (a * muscle::active_force_length(l_norm) +
                                                   muscle::passive_force_length(l_norm));
  const double strain =
      (mtu_length - l_fiber * cos_alpha - p_.tendon_slack_length_m) / p_.tendon_slack_length_m;
  return p_.max_isometric_force_N * muscle::tendon_force_strain(strain) - fiber * cos_alpha;
}

void MuscleTendonUnit::initialize(double mtu_length_m, double activation) {
  MuscleState& s = state_;
  s = MuscleState{};
  s.activation = std::clamp(activation, p_.min_activation, 1.0);
  s.excitation = s.activation;
  s.mtu_length_m = mtu_length_m;
  const double h = thickness();
  if (tendon_ == TendonModel::kRigid) {
    const double along = std::max(mtu_length_m - p_.tendon_slack_length_m, 1e-6);
    s.fiber_length_m = std::max(std::sqrt(h * h + along * along), min_fiber_length());
  } else {
    // bisection: the residual grows with fiber length (a longer fiber means a shorter tendon)
    double lo = min_fiber_length();
    double hi = std::max(lo * 1.001, std::sqrt(h * h + mtu_length_m * mtu_length_m));
    for (int i = 0; i < 60; ++i) {
      double mid = 0.5 * (lo + hi);
      (static_residual(mid, mtu_length_m, s.activation) > 0 ? lo : hi) = mid;
    }
    s.fiber_length_m = 0.5 * (lo + hi);
  }
  evaluate_forces();
}

double MuscleTendonUnit::step(double excitation, double mtu_length_m, double mtu_velocity_mps,
                              double dt_s) {
  MuscleState& s = state_;
  // activation dynamics (explicit Euler, clamped)
  s.excitation = std::clamp(std::isfinite(excitation) ? excitation : 0.0, 0.0, 1.0);
  s.activation += dt_s * activation_rate(s.excitation, s.activation, p_.activation_time_s,
                                         p_.deactivation_time_s);
  s.activation = std::clamp(s.activation, p_.min_activation, 1.0);
  s.mtu_length_m = mtu_length_m;
  s.mtu_velocity_mps = mtu_velocity_mps;
  const double h = thickness();

  if (tendon_ == TendonModel::kRigid) {
    // the fiber follows the path: along-tendon length = MTU length - slack length
    const double along = std::max(mtu_length_m - p_.tendon_slack_length_m, 1e-6);
    s.fiber_length_m = std::max(std::sqrt(h * h + along * along), min_fiber_length());
    const double cos_alpha = along / s.fiber_length_m;
    s.fiber_velocity_mps = mtu_velocity_mps * cos_alpha;
    evaluate_forces();
    return s.force_N;
  }

  // elastic tendon: fiber velocity from equilibrium, integrated in sub-steps
  const int substeps = std::max(1, static_cast<int>(std::ceil(dt_s / kElasticSubstep_s)));
  const double h_sub = dt_s / substeps;
  const double v_max = p_.max_contraction_velocity * p_.optimal_fiber_length_m;
  for (int k = 0; k < substeps; ++k) {
    // MTU length at this sub-step (linear in time)
    s.mtu_length_m = mtu_length_m - mtu_velocity_mps * (dt_s - (k + 1) * h_sub);
    s.fiber_velocity_mps = 0;
    evaluate_forces();
    const double cos_alpha = std::cos(s.pennation_rad);
    const double l_norm = s.fiber_length_m / p_.optimal_fiber_length_m;
    const double active_capacity = s.activation * muscle::active_force_length(l_norm);
    const double wanted = (s.force_N / (p_.max_isometric_force_N * cos_alpha) -
                           muscle::passive_force_length(l_norm)) /
                          std::max(active_capacity, 1e-6);
    s.fiber_velocity_mps = inverse_force_velocity(wanted) * v_max;
    s.fiber_length_m =
        std::max(s.fiber_length_m + h_sub * s.fiber_velocity_mps, min_fiber_length());
  }
  s.mtu_length_m = mtu_length_m;
  evaluate_forces();
  return s.force_N;
}

}  // namespace sinew
