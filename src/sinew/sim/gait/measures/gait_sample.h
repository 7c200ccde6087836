// The state of one control step as the gait measures see it.
#pragma once

#include <array>
#include <span>
#include <string>

#include "sinew/sim/gait/muscle_tendon_unit.h"

namespace sinew {

// What the measures may read about one control step.
struct GaitSample {
  double dt_s = 0;                // control step
  double com_velocity_x_mps = 0;  // forward velocity of the centre of mass
  double body_weight_N = 0;
  double foot_load_N[2] = {0, 0};  // vertical ground reaction force per foot (right, left)
  std::span<const double> limit_torques_Nm;  // soft joint-limit torque per limited DOF
  std::span<const double> excitations;       // this step's excitations (n muscles)
  std::span<const double> previous_excitations;
  std::span<const double> activations;
  double time_s = 0;  // since the episode started
  // the time in the env's reference motion (from its first row) the episode started at, 0 when
  // it did not start from the reference; this step corresponds to reference_time_s() there
  double reference_start_s = 0;
  double reference_time_s() const { return reference_start_s + time_s; }
  // Gait initiation (env.start_ramp): after a standing start the tracked target moves from the
  // standing pose to the reference, target = standing + blend x (reference - standing). blend
  // is 1 when the episode started mid-stride or has no ramp; blend_rate is its rate [1/s].
  double reference_blend = 1;
  double reference_blend_rate = 0;
  std::span<const double> standing_positions;  // per DOF, as dof_positions; empty: blend is 1
  double body_mass_kg = 0;
  std::span<const MuscleTendonUnit> muscles;
  std::span<const std::string> dof_names;                          // the 9 DOFs
  std::span<const double> dof_positions;                           // [rad] or [m]
  std::span<const double> dof_velocities;                          // [rad/s] or [m/s]
  std::array<double, 3> torso_angular_velocity_radps = {0, 0, 0};  // world frame
};

}  // namespace sinew
