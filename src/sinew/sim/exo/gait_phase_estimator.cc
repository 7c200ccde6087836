#include "sinew/sim/exo/gait_phase_estimator.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "sinew/core/binary_io.h"

namespace sinew {

void GaitPhaseEstimator::reset() {
  contact_ = false;
  armed_ = false;
  off_since_s_ = -1;
  strikes_ = 0;
  last_strike_s_ = 0;
  durations_.clear();
}

void GaitPhaseEstimator::update(double t_s, double load_N) {
  if (load_N < options_.off_N) {
    contact_ = false;
    if (off_since_s_ < 0) off_since_s_ = t_s;
    if (t_s - off_since_s_ >= options_.min_swing_s - 1e-12) armed_ = true;
    return;
  }
  off_since_s_ = -1;
  if (contact_ || load_N < options_.on_N || !armed_) {
    // a foot loaded at the start of an episode is not a heel strike: wait for its swing
    if (load_N >= options_.on_N) contact_ = true;
    return;
  }
  contact_ = true;
  armed_ = false;
  if (strikes_ > 0) {
    const double duration = t_s - last_strike_s_;
    if (duration >= options_.min_stride_s && duration <= options_.max_stride_s) {
      durations_.push_back(duration);
      while (static_cast<int>(durations_.size()) > options_.strides) durations_.pop_front();
    }
  }
  ++strikes_;
  last_strike_s_ = t_s;
}

double GaitPhaseEstimator::stride_s() const {
  if (durations_.empty()) return 0;
  return std::accumulate(durations_.begin(), durations_.end(), 0.0) /
         static_cast<double>(durations_.size());
}

std::optional<double> GaitPhaseEstimator::phase(double t_s) const {
  const double stride = stride_s();
  if (stride <= 0) return std::nullopt;
  return std::clamp((t_s - last_strike_s_) / stride, 0.0, 1.0);
}

void GaitPhaseEstimator::save(BinaryWriter* out) const {
  out->put<uint8_t>(contact_);
  out->put<uint8_t>(armed_);
  out->put<int32_t>(strikes_);
  out->put<double>(last_strike_s_);
  out->put<double>(off_since_s_);
  out->put_vector(std::vector<double>(durations_.begin(), durations_.end()));
}

void GaitPhaseEstimator::load(BinaryReader* in) {
  contact_ = in->get<uint8_t>() != 0;
  armed_ = in->get<uint8_t>() != 0;
  strikes_ = in->get<int32_t>();
  last_strike_s_ = in->get<double>();
  off_since_s_ = in->get<double>();
  const auto durations = in->get_vector<double>();
  durations_.assign(durations.begin(), durations.end());
}

}  // namespace sinew
