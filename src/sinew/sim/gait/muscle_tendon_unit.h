// sinew's Hill-type muscle-tendon unit (MTU), used instead of MuJoCo 2.2.2's built-in muscle,
// which pushes below lmin and has only a rigid tendon (REFERENCE.md §1).
//
// Model (OpenSim/Thelen 2003 conventions, SI units):
//   activation  da/dt = (u - a) / tau, tau = tau_act (0.5 + 1.5 a) when u > a, else
//               tau_deact / (0.5 + 1.5 a); a is kept in [min_activation, 1]
//   fiber       F_fiber = F_max (a f_L(l) f_V(v) + f_PE(l)), curves in muscle_curves.h,
//               l = l_fiber / l_opt, v = v_fiber / (v_max l_opt)
//   pennation   constant thickness: l_fiber sin(alpha) = l_opt sin(alpha_opt)
//   tendon      rigid (default): l_tendon = l_slack; the fiber follows the MTU length
//               elastic: l_tendon from the tendon force-strain curve; the fiber length is a
//               state, its velocity from force equilibrium F_tendon = F_fiber cos(alpha)
//               through the inverted force-velocity curve, integrated in sub-steps
// The force on the skeleton is the tendon force along the path, F >= 0: an MTU only pulls.
#pragma once

#include <string>

namespace sinew {

struct MuscleParameters {
  std::string name;
  double max_isometric_force_N = 1000;
  double optimal_fiber_length_m = 0.1;
  double tendon_slack_length_m = 0.2;
  double pennation_at_optimal_rad = 0;
  double max_contraction_velocity = 10;  // [optimal fiber lengths / s]
  double activation_time_s = 0.01;
  double deactivation_time_s = 0.04;
  double min_activation = 0.01;
};

// Everything an observation or a measure may read about one MTU after a step.
struct MuscleState {
  double excitation = 0;  // u in [0, 1], the control
  double activation = 0;  // a
  double fiber_length_m = 0;
  double fiber_velocity_mps = 0;  // > 0 lengthening
  double pennation_rad = 0;
  double tendon_length_m = 0;
  double force_N = 0;               // tendon force along the path, >= 0
  double active_fiber_force_N = 0;  // F_max a f_L f_V (along the fiber), for metabolics
  double mtu_length_m = 0;
  double mtu_velocity_mps = 0;
};

enum class TendonModel { kRigid, kElastic };

class MuscleTendonUnit {
 public:
  MuscleTendonUnit(MuscleParameters parameters, TendonModel tendon);

  // Puts the unit at rest for this MTU length: activation `activation`, fiber velocity 0,
  // and (elastic tendon) the fiber length in static equilibrium with the tendon.
  void initialize(double mtu_length_m, double activation);

  // Advances the unit by dt_s with excitation u (clipped to [0, 1]) at the given MTU length
  // and lengthening velocity; returns the tendon force [N] to apply along the path.
  double step(double excitation, double mtu_length_m, double mtu_velocity_mps, double dt_s);

  const MuscleState& state() const { return state_; }
  const MuscleParameters& parameters() const { return p_; }
  TendonModel tendon() const { return tendon_; }

  // Overwrites the state (restoring a saved simulation).
  void set_state(const MuscleState& state) { state_ = state; }

  // da/dt for excitation u at activation a (first-order, activation-dependent time constant).
  static double activation_rate(double u, double a, double tau_act_s, double tau_deact_s);

 private:
  // Fills pennation, tendon length and forces for the current fiber length and velocity.
  void evaluate_forces();
  double thickness() const;  // l_opt sin(alpha_opt)
  double min_fiber_length() const;
  // Elastic tendon: tendon force minus the fiber's force along the tendon at fiber length l
  // with zero velocity (for the equilibrium at rest).
  double static_residual(double fiber_length_m, double mtu_length_m, double activation) const;

  MuscleParameters p_;
  TendonModel tendon_;
  MuscleState state_;
};

}  // namespace sinew
