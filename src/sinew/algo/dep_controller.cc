#include "sinew/algo/dep_controller.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sinew/core/binary_io.h"

namespace sinew {

DepOptions DepOptions::from_config(const Config& c) {
  DepOptions d;
  d.kappa = c.get_double("algo.dep.kappa", 0, 1e9);
  d.tau = static_cast<int>(c.get_int("algo.dep.tau", 3, 100000));
  d.bias_rate = c.get_double("algo.dep.bias_rate", 0, 1);
  d.time_dist = static_cast<int>(c.get_int("algo.dep.time_dist", 1, 100000));
  d.s4avg = c.get_double("algo.dep.s4avg", 1, 1e6);
  d.buffer_size = static_cast<int>(c.get_int("algo.dep.buffer_size", 2, 1 << 20));
  d.regularization = c.get_double("algo.dep.regularization", 0, 300);
  d.force_scale = c.get_double("algo.dep.force_scale", 0, 1e6);
  return d;
}

DepController::DepController(int num_muscles, const DepOptions& options)
    : n_(num_muscles), o_(options) {
  reset();
}

void DepController::reset() {
  xbar_.assign(n_, 0.0);
  bias_.assign(n_, 0.0);
  previous_action_.assign(n_, 0.0);
  length_min_.assign(n_, std::numeric_limits<double>::infinity());
  length_max_.assign(n_, -std::numeric_limits<double>::infinity());
  force_min_ = length_min_;
  force_max_ = length_max_;
  history_.clear();
  first_ = true;
}

std::vector<double> DepController::controller_matrix(const std::deque<std::vector<double>>& history,
                                                     const DepOptions& o) {
  const int n = history.empty() ? 0 : static_cast<int>(history.back().size());
  const int t = static_cast<int>(history.size()) - 1;
  const int D = o.time_dist;
  std::vector<double> C(static_cast<std::size_t>(n) * n, 0.0);
  auto at = [&](int time) -> const std::vector<double>& { return history[time]; };
  const int last = std::min(t - D, o.tau) - 1;
  for (int s = 2; s <= last; ++s) {
    if (t - s - 1 - D < 0) break;
    for (int i = 0; i < n; ++i) {
      const double chi = at(t - s)[i] - at(t - s - 1)[i];
      for (int j = 0; j < n; ++j) {
        const double v = at(t - s - D)[j] - at(t - s - 1 - D)[j];
        C[i * n + j] += -chi * v;  // M = -I
      }
    }
  }
  // row normalization: (C M^T)_i = -C_i, so its norm is the row's norm
  const double eps = std::pow(10.0, -o.regularization);
  for (int i = 0; i < n; ++i) {
    double norm = 0;
    for (int j = 0; j < n; ++j) norm += C[i * n + j] * C[i * n + j];
    norm = std::sqrt(norm);
    for (int j = 0; j < n; ++j) C[i * n + j] = o.kappa * C[i * n + j] / (norm + eps);
  }
  return C;
}

std::vector<double> DepController::action(const std::vector<double>& C,
                                          const std::vector<double>& xbar,
                                          const std::vector<double>& bias, const DepOptions& o) {
  const int n = static_cast<int>(xbar.size());
  std::vector<double> q(n, 0.0);
  double norm = 0;
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j < n; ++j) q[i] += C[i * n + j] * xbar[j];
    norm += q[i] * q[i];
  }
  norm = std::sqrt(norm) + std::pow(10.0, -o.regularization);
  std::vector<double> y(n);
  for (int i = 0; i < n; ++i)
    y[i] = std::clamp(std::tanh(o.kappa * q[i] / norm + bias[i]), -1.0, 1.0);
  return y;
}

void DepController::step(std::span<const double> lengths, std::span<const double> forces,
                         std::span<double> actions) {
  // inputs, normalized by the range seen so far
  std::vector<double> x(n_);
  for (int i = 0; i < n_; ++i) {
    length_min_[i] = std::min(length_min_[i], lengths[i]);
    length_max_[i] = std::max(length_max_[i], lengths[i]);
    force_min_[i] = std::min(force_min_[i], forces[i]);
    force_max_[i] = std::max(force_max_[i], forces[i]);
    const double l = (lengths[i] - length_min_[i]) / (length_max_[i] - length_min_[i] + 0.1);
    const double f = (forces[i] - force_min_[i]) / (force_max_[i] - force_min_[i] + 0.1);
    x[i] = 2 * (l - 0.5) + o_.force_scale * f;
  }
  // smoothing and history
  if (first_) {
    xbar_ = x;
    first_ = false;
  } else {
    for (int i = 0; i < n_; ++i) xbar_[i] += (x[i] - xbar_[i]) / o_.s4avg;
  }
  history_.push_back(xbar_);
  while (static_cast<int>(history_.size()) > o_.buffer_size) history_.pop_front();
  // controller, action and bias
  std::vector<double> C = controller_matrix(history_, o_);
  std::vector<double> y = action(C, xbar_, bias_, o_);
  for (int i = 0; i < n_; ++i) {
    bias_[i] -= std::clamp(previous_action_[i] * o_.bias_rate, -0.05, 0.05) + 0.001 * bias_[i];
    actions[i] = y[i];
  }
  previous_action_ = y;
}

std::string DepController::save_state() const {
  BinaryWriter out;
  out.put<int>(n_);
  for (const auto* v :
       {&xbar_, &bias_, &previous_action_, &length_min_, &length_max_, &force_min_, &force_max_}) {
    out.put_vector(*v);
  }
  out.put<uint64_t>(history_.size());
  for (const auto& h : history_) out.put_vector(h);
  out.put<uint8_t>(first_);
  return out.bytes();
}

void DepController::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  if (in.get<int>() != n_) in.fail("DEP state for another number of muscles");
  for (auto* v :
       {&xbar_, &bias_, &previous_action_, &length_min_, &length_max_, &force_min_, &force_max_}) {
    *v = in.get_vector<double>();
    if (static_cast<int>(v->size()) != n_) in.fail("DEP state with wrong sizes");
  }
  history_.clear();
  const uint64_t entries = in.get<uint64_t>();
  for (uint64_t k = 0; k < entries; ++k) history_.push_back(in.get_vector<double>());
  first_ = in.get<uint8_t>() != 0;
}

}  // namespace sinew
