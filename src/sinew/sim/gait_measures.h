// Reward terms for the gait env, composed like SCONE measures and sconegym's gait reward
// (REFERENCE.md section 4). Each measure turns one step's GaitSample into an unweighted value;
// the env multiplies by the configured weight, sums, and logs each term as reward/<name>.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

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
};

class GaitMeasure {
 public:
  virtual ~GaitMeasure() = default;
  // The unweighted value of this step.
  virtual double value(const GaitSample& s) const = 0;
  // One line saying what is measured, for logs and --help.
  virtual std::string what() const = 0;
};

// sconegym velocity term: exp(-(v - target)^2) below the target velocity, 1 at or above it.
class VelocityMeasure : public GaitMeasure {
 public:
  explicit VelocityMeasure(double target_mps) : target_(target_mps) {}
  double value(const GaitSample& s) const override;
  std::string what() const override;

 private:
  double target_;
};

// SCONE's minimum-velocity form: 0 at or above the minimum, else (min - v)^2 (a penalty).
class MinVelocityMeasure : public GaitMeasure {
 public:
  explicit MinVelocityMeasure(double min_mps) : min_(min_mps) {}
  double value(const GaitSample& s) const override;
  std::string what() const override;

 private:
  double min_;
};

// Ground reaction force limit: sum over feet of max(0, load / body weight - threshold).
class GrfLimitMeasure : public GaitMeasure {
 public:
  explicit GrfLimitMeasure(double threshold_bw) : threshold_(threshold_bw) {}
  double value(const GaitSample& s) const override;
  std::string what() const override;

 private:
  double threshold_;
};

// Mean absolute soft joint-limit torque [N m] over the limited DOFs.
class JointLimitTorqueMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) const override;
  std::string what() const override;
};

// Mean squared change of the excitations since the previous step.
class ExcitationChangeMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) const override;
  std::string what() const override;
};

// Fraction of muscles with activation above a threshold (sconegym: 0.15).
class ActiveFractionMeasure : public GaitMeasure {
 public:
  explicit ActiveFractionMeasure(double threshold) : threshold_(threshold) {}
  double value(const GaitSample& s) const override;
  std::string what() const override;

 private:
  double threshold_;
};

// Cubed muscle activation, sum(a^3) / n (SCONE's effort measure "CubedMuscleActivation").
class CubedActivationMeasure : public GaitMeasure {
 public:
  double value(const GaitSample& s) const override;
  std::string what() const override;
};

}  // namespace sinew
