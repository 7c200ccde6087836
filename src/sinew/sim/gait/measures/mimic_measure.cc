#include "sinew/sim/gait/measures/mimic_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sinew/sim/mujoco_model.h"

namespace sinew {

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
      if (reference_.has_column(label))
        muscles_.emplace_back(static_cast<int>(i), reference_.column(label));
    }
    resolved_ = true;
  }
  // the reference at the episode's phase, repeating when the episode outlasts it
  const double t =
      reference_.duration_s() > 0
          ? reference_.times().front() + std::fmod(s.reference_time_s(), reference_.duration_s())
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

MeasureEntry mimic_measure_entry() {
  MeasureEntry e;
  e.name = "mimic";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    const Config& config = k.config;
    const std::string& key = k.key;
    auto motion = std::make_shared<const MotionTable>(
        MotionTable::read(resolve_motion_path(config.get_string(key + ".file"))));
    double activation_weight = k.number("activation_weight", 0, 1e6);
    double average_limit = k.number("average_limit", 0, 1e6);
    double peak_limit = k.number("peak_limit", 0, 1e6);
    return [=] {
      return std::make_unique<MimicMeasure>(*motion, activation_weight, average_limit, peak_limit);
    };
  };
  return e;
}

}  // namespace sinew
