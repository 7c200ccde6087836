#include "sinew/sim/gait/measures/tracking_measure.h"

#include <fmt/format.h>

#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {

TrackingMeasure::TrackingMeasure(std::shared_ptr<const ReferenceMotion> reference, Channel channel,
                                 double scale, double termination_rms_deg)
    : reference_(std::move(reference)),
      channel_(channel),
      scale_(scale),
      termination_rms_rad_(termination_rms_deg * M_PI / 180.0) {
  if (channel_ == Channel::kComVelocity && !reference_->has("pelvis_tx")) {
    throw UserError(fmt::format("{}: tracking the COM velocity needs a pelvis_tx column",
                                reference_->table().name()));
  }
  if (reference_->has("pelvis_tx")) pelvis_tx_ = reference_->table().column("pelvis_tx");
}

double TrackingMeasure::value(const GaitSample& s) {
  if (!resolved_) {
    // the angles the reference has: every DOF but the pelvis translations
    for (std::size_t i = 0; i < s.dof_names.size(); ++i) {
      const std::string& name = s.dof_names[i];
      if (name != "pelvis_tx" && name != "pelvis_ty" && reference_->has(name)) {
        dofs_.emplace_back(static_cast<int>(i), reference_->table().column(name));
      }
    }
    resolved_ = true;
  }
  const double t = s.reference_time_s();
  // gait initiation: the target blends from the standing pose into the reference
  const bool blends = s.reference_blend < 1 && !s.standing_positions.empty();
  const double w = blends ? s.reference_blend : 1.0;
  const double w_rate = blends ? s.reference_blend_rate : 0.0;
  double error = 0;
  if (channel_ == Channel::kComVelocity) {
    const double e = s.com_velocity_x_mps - w * reference_->rate(pelvis_tx_, t);
    error = e * e;
  } else {
    for (const auto& [dof, column] : dofs_) {
      const double standing = blends ? s.standing_positions[dof] : 0.0;
      const double offset = reference_->value(column, t) - standing;
      const double e =
          channel_ == Channel::kPositions
              ? s.dof_positions[dof] - (standing + w * offset)
              : s.dof_velocities[dof] - (w * reference_->rate(column, t) + w_rate * offset);
      error += e * e;
    }
    error = dofs_.empty() ? 0 : error / static_cast<double>(dofs_.size());
  }
  last_error_ = error;
  terminate_ = channel_ == Channel::kPositions && termination_rms_rad_ > 0 &&
               std::sqrt(error) > termination_rms_rad_;
  return std::exp(-scale_ * error);
}

void TrackingMeasure::set_episode_state(const std::vector<double>& state) {
  terminate_ = !state.empty() && state[0] != 0;
}

std::string TrackingMeasure::what() const {
  const char* channel = channel_ == Channel::kPositions    ? "joint angles"
                        : channel_ == Channel::kVelocities ? "joint velocities"
                                                           : "COM forward velocity";
  return fmt::format("exp(-{} x mean squared error) of the {} against {}", scale_, channel,
                     reference_->table().name());
}

MeasureEntry tracking_measure_entry() {
  MeasureEntry e;
  e.name = "tracking";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    const Config& config = k.config;
    const std::string& key = k.key;
    const std::string channel =
        config.get_choice(key + ".channel", {"positions", "velocities", "com_velocity"});
    const auto kind = channel == "positions"    ? TrackingMeasure::Channel::kPositions
                      : channel == "velocities" ? TrackingMeasure::Channel::kVelocities
                                                : TrackingMeasure::Channel::kComVelocity;
    const double scale = k.number("scale", 1e-9, 1e9);
    const double termination = k.optional("termination_rms_deg", 0);
    if (termination < 0) {
      throw ConfigError(key + ".termination_rms_deg",
                        "'" + key + ".termination_rms_deg' must be >= 0");
    }
    auto motion = k.reference();
    TrackingMeasure check(motion, kind, scale, termination);  // reference checks, once
    return [=] { return std::make_unique<TrackingMeasure>(motion, kind, scale, termination); };
  };
  return e;
}

}  // namespace sinew
