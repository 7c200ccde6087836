// DEP: differential extrinsic plasticity (Der & Martius 2015), the exploration controller of
// DEP-RL (Schumacher et al. 2023), as in REFERENCE.md section 5. Plain C++, one instance per
// env. Not yet wired into training (issue 5); the math is unit-tested.
//
// Per step, with n muscles:
//   x_i    = 2 (lhat_i - 0.5) + force_scale * fhat_i, lhat, fhat the fiber length and force
//            min-max normalized over the episode so far ((v - min) / (max - min + 0.1))
//   xbar  += (x - xbar) / s4avg                                    (smoothing)
//   C      = sum_{s=2}^{min(t-D, tau)-1} (M chi_s) v_s^T,  M = -I,
//            chi_s = xbar(t-s) - xbar(t-s-1),  v_s = xbar(t-s-D) - xbar(t-s-1-D)
//   C_i   <- kappa C_i / (|(C M^T)_i| + 10^-reg)                   (row normalization)
//   q      = C xbar;  q <- q / (|q| + 10^-reg)
//   y      = clip(tanh(kappa q + b), -1, 1)
//   b     -= clip(y_prev * bias_rate, -0.05, 0.05) + 0.001 b
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

#include "sinew/core/config.h"

namespace sinew {

// One field per key under algo.dep. (defaults, the gait models' values, in
// configs/algo/mpo.yaml; DEP's general defaults are kappa 100, tau 20, bias_rate 2e-5).
struct DepOptions {
  double kappa{};           // gain of the controller matrix
  int tau{};                // history (steps) used for the controller matrix
  double bias_rate{};       // bias adaptation rate
  int time_dist{};          // D, steps between a cause and its effect
  double s4avg{};           // input smoothing
  int buffer_size{};        // history kept
  double regularization{};  // the 10^-reg in the normalizations
  double force_scale{};     // weight of the normalized muscle force in DEP's input

  // Reads algo.dep.*; throws ConfigError naming a bad key.
  static DepOptions from_config(const Config& config);
};

class DepController {
 public:
  DepController(int num_muscles, const DepOptions& options);

  // Starts an episode: clears the history, normalization bounds and bias.
  void reset();

  // One step from raw fiber lengths and forces (n each); writes actions in [-1, 1] (n).
  void step(std::span<const double> fiber_lengths, std::span<const double> forces,
            std::span<double> actions);

  // The controller matrix (n x n, row-major) from a history of smoothed inputs, oldest first,
  // with t = history.size() - 1 the current step.
  static std::vector<double> controller_matrix(const std::deque<std::vector<double>>& history,
                                               const DepOptions& options);
  // Actions from a controller matrix, smoothed input and bias (n each).
  static std::vector<double> action(const std::vector<double>& C, const std::vector<double>& xbar,
                                    const std::vector<double>& bias, const DepOptions& options);

  const std::vector<double>& bias() const { return bias_; }
  const std::vector<double>& smoothed_input() const { return xbar_; }

  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

 private:
  int n_;
  DepOptions o_;
  std::vector<double> xbar_, bias_, previous_action_;
  std::vector<double> length_min_, length_max_, force_min_, force_max_;
  std::deque<std::vector<double>> history_;  // smoothed inputs, oldest first
  bool first_ = true;
};

}  // namespace sinew
