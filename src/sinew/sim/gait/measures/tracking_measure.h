// Tracking a reference motion as a positive reward (DeepMimic's imitation terms, Peng 2018):
// exp(-scale x mean squared error) in (0, 1], read at the episode's reference time, so an
// episode that starts mid-stride is compared with the reference from that phase on.
//
// Channels: `positions` the joint angles [rad] of every DOF the reference has except the
// pelvis translations; `velocities` their rates [rad/s]; `com_velocity` the forward velocity of
// the centre of mass against the rate of the reference's pelvis_tx [m/s].
// After a standing start with a start ramp (GaitSample::reference_blend < 1) the target is
// standing + blend x (reference - standing) for angles, its time derivative for their rates,
// and blend x the reference's speed for the COM velocity: gait initiation as a tracking task.
// With termination_rms_deg > 0 (positions only), asks to end the episode when the RMS angle
// error exceeds it (early termination on tracking error).
#pragma once

#include <memory>
#include <utility>
#include <vector>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"
#include "sinew/sim/gait/reference_motion.h"

namespace sinew {

class TrackingMeasure : public GaitMeasure {
 public:
  enum class Channel { kPositions, kVelocities, kComVelocity };

  // `scale` [1/unit^2] > 0. Throws UserError when the reference lacks pelvis_tx for
  // com_velocity.
  TrackingMeasure(std::shared_ptr<const ReferenceMotion> reference, Channel channel, double scale,
                  double termination_rms_deg);
  double value(const GaitSample& s) override;
  std::string what() const override;
  void reset() override { terminate_ = false; }
  bool terminate() const override { return terminate_; }
  std::vector<double> episode_state() const override { return {terminate_ ? 1.0 : 0.0}; }
  void set_episode_state(const std::vector<double>& state) override;

  // The mean squared error of the last value() (before the kernel), in the channel's unit^2.
  double last_error() const { return last_error_; }

 private:
  std::shared_ptr<const ReferenceMotion> reference_;
  Channel channel_;
  double scale_, termination_rms_rad_;
  std::vector<std::pair<int, std::size_t>> dofs_;  // (DOF index, reference column)
  std::size_t pelvis_tx_ = 0;                      // reference column, for com_velocity
  bool resolved_ = false;
  bool terminate_ = false;
  double last_error_ = 0;
};

// Reads env.reward.<term>.* for measure: tracking (measure_registry.h).
MeasureEntry tracking_measure_entry();

}  // namespace sinew
