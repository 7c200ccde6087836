// Reward terms for the gait env, composed like SCONE measures and sconegym's gait reward
// (REFERENCE.md section 4). Each measure turns one step's GaitSample into an unweighted value;
// the env multiplies by the configured weight, sums, and logs each term as reward/<name>.
#pragma once

#include <array>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sinew/sim/motion_table.h"
#include "sinew/sim/muscle_tendon_unit.h"

namespace sinew {

// What the measures may read about one control step.
struct GaitSample {
  double dt_s = 0;                    // control step
  double com_velocity_x_mps = 0;      // forward velocity of the centre of mass
  double body_weight_N = 0;
  double foot_load_N[2] = {0, 0};     // vertical ground reaction force per foot (right, left)
  std::span<const double> limit_torques_Nm;   // soft joint-limit torque per limited DOF
  std::span<const double> excitations;        // this step's excitations (n muscles)
  std::span<const double> previous_excitations;
  std::span<const double> activations;
  double time_s = 0;                  // since the episode started
  double body_mass_kg = 0;
  std::span<const MuscleTendonUnit> muscles;
  std::span<const std::string> dof_names;     // the 9 DOFs
  std::span<const double> dof_positions;      // [rad] or [m]
  std::array<double, 3> torso_angular_velocity_radps = {0, 0, 0};  // world frame
};

// SCONE's common rule: m = value + offset; with a threshold, 0 below it and
// m (m - threshold) / transition inside the transition band above it.
struct MeasureShaping {
  double offset = 0;
  double threshold = 0;
  double transition = 0;   // 0: no threshold
  double apply(double value) const;
};

class GaitMeasure {
 public:
  virtual ~GaitMeasure() = default;
  // The unweighted value of this step (may update the measure's own episode state).
  virtual double value(const GaitSample& s) = 0;
  // One line saying what is measured, for logs and --help.
  virtual std::string what() const = 0;
  // Called when an episode starts.
  virtual void reset() {}
  // True when the last value() asks to end the episode (e.g. mimic error limits).
  virtual bool terminate() const { return false; }
  // Per-episode state, for saving a simulation mid-episode.
  virtual std::vector<double> episode_state() const { return {}; }
  virtual void set_episode_state(const std::vector<double>& state) {}
};

// sconegym velocity term: exp(-(v - target)^2) below the target velocity, 1 at or above it.
class VelocityMeasure : public GaitMeasure {
 public:
  explicit VelocityMeasure(double target_mps) : target_(target_mps) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double target_;
};

// SCONE's minimum-velocity form: 0 at or above the minimum, else (min - v)^2 (a penalty).
class MinVelocityMeasure : public GaitMeasure {
 public:
  explicit MinVelocityMeasure(double min_mps) : min_(min_mps) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double min_;
};

// Ground reaction force limit: sum over feet of max(0, load / body weight - threshold).
class GrfLimitMeasure : public GaitMeasure {
 public:
  explicit GrfLimitMeasure(double threshold_bw) : threshold_(threshold_bw) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double threshold_;
};

// Mean absolute soft joint-limit torque [N m] over the limited DOFs.
class JointLimitTorqueMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Mean squared change of the excitations since the previous step.
class ExcitationChangeMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Fraction of muscles with activation above a threshold (sconegym: 0.15).
class ActiveFractionMeasure : public GaitMeasure {
 public:
  explicit ActiveFractionMeasure(double threshold) : threshold_(threshold) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  double threshold_;
};

// Cubed muscle activation, sum(a^3) / n (SCONE's effort measure "CubedMuscleActivation").
class CubedActivationMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) override;
  std::string what() const override;
};

// Wang et al. 2012 metabolic power [W] over all muscles plus 1.51 W/kg basal, per body mass
// (W/kg) when `per_kg` (REFERENCE.md section 4). Slow-twitch ratio 0.5, muscle mass from
// specific tension 0.25 MPa and density 1059.7 kg/m^3.
class MetabolicMeasure : public GaitMeasure {
 public:
  explicit MetabolicMeasure(bool per_kg) : per_kg_(per_kg) {}
  double value(const GaitSample& s) override;
  std::string what() const override;
  // One muscle's rate [W]: u excitation, a activation, l normalized fiber length, v fiber
  // velocity [m/s] (< 0 shortening), force and active force [N], mass [kg].
  static double muscle_rate_W(double u, double a, double l_norm, double v_mps, double force_N,
                              double active_force_N, double mass_kg);
  static double muscle_mass_kg(const MuscleParameters& p);

 private:
  bool per_kg_;
};

// A DOF outside [lower, upper] [rad]: the violation, squared or absolute (SCONE DofLimits).
class DofLimitMeasure : public GaitMeasure {
 public:
  DofLimitMeasure(std::string dof, double lower_rad, double upper_rad, bool squared)
      : dof_(std::move(dof)), lower_(lower_rad), upper_(upper_rad), squared_(squared) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  std::string dof_;
  double lower_, upper_;
  bool squared_;
  int index_ = -1;  // resolved on first use
};

// |omega| of the torso [rad/s] (SCONE BodyAngularVelocity), squared or absolute; with an axis
// (0, 1, 2 = world x, y, z) only that component.
class AngularVelocityMeasure : public GaitMeasure {
 public:
  AngularVelocityMeasure(int axis, bool squared) : axis_(axis), squared_(squared) {}
  double value(const GaitSample& s) override;
  std::string what() const override;

 private:
  int axis_;  // -1: the norm
  bool squared_;
};

// Tracking a recorded motion (SCONE Mimic): the mean over channels of the squared error
// between the model's DOFs and the reference at the same time (angles in rad), plus, with
// activation_weight > 0, that weight times the mean squared activation error for reference
// columns named <muscle>.activation. Asks to end the episode when the running average error
// exceeds average_limit or one step's error exceeds peak_limit (0: no limit).
class MimicMeasure : public GaitMeasure {
 public:
  MimicMeasure(MotionTable reference, double activation_weight, double average_limit,
               double peak_limit);
  double value(const GaitSample& s) override;
  std::string what() const override;
  void reset() override;
  bool terminate() const override { return terminate_; }
  std::vector<double> episode_state() const override;
  void set_episode_state(const std::vector<double>& state) override;

 private:
  MotionTable reference_;
  double activation_weight_, average_limit_, peak_limit_;
  std::vector<std::pair<int, std::size_t>> dofs_;      // (DOF index, reference column)
  std::vector<std::pair<int, std::size_t>> muscles_;   // (muscle index, reference column)
  bool resolved_ = false;
  double error_sum_ = 0;
  int64_t steps_ = 0;
  bool terminate_ = false;
};

}  // namespace sinew
