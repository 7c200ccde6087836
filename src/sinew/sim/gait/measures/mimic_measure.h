#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"
#include "sinew/sim/motion_table.h"

namespace sinew {

// Tracking a recorded motion (SCONE Mimic): the mean over channels of the squared error
// between the model's DOFs and the reference at the episode's reference time (angles in rad;
// an episode started from the env's reference motion at a phase is compared from that phase), plus,
// with activation_weight > 0, that weight times the mean squared activation error for reference
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
  std::vector<std::pair<int, std::size_t>> dofs_;     // (DOF index, reference column)
  std::vector<std::pair<int, std::size_t>> muscles_;  // (muscle index, reference column)
  bool resolved_ = false;
  double error_sum_ = 0;
  int64_t steps_ = 0;
  bool terminate_ = false;
};

// Reads env.reward.<term>.* for measure: mimic (measure_registry.h).
MeasureEntry mimic_measure_entry();

}  // namespace sinew
