// DEP-RL's exploration for one env: a DEP controller that sees every step of the env, and the
// stochastic switching that decides when DEP acts instead of the policy. The controller is not
// reset between episodes (as in DEP-RL): its history, sensor normalization and bias live as long
// as the env, so DEP is ready to act from the first step of a new episode. As the actors'
// Exploration it reads the env's muscle sensors (kSensorMuscleFiberLength, kSensorMuscleForce).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sinew/algo/dep_controller.h"
#include "sinew/algo/dep_switching.h"
#include "sinew/env/exploration.h"

namespace sinew {

class DepExploration final : public Exploration {
 public:
  DepExploration(int num_muscles, const DepOptions& dep, const DepSwitchingOptions& switching,
                 uint64_t seed);

  std::string name() const override { return "dep"; }

  // A new episode of the env: the switching counts it (pure-policy episodes); the controller
  // keeps its state.
  void start_episode() override;

  // act() below on the env's muscle sensors; throws std::logic_error for an env without them.
  bool act(const Env& env, int64_t run_steps, std::span<float> action) override;

  // One env step. DEP reads the muscles' fiber lengths [m] and forces [N] (num_muscles each);
  // when the switching lets it act (given the run's env steps so far), its action in [-1, 1]
  // replaces `action` (num_muscles) and this returns true.
  bool act(std::span<const double> fiber_lengths_m, std::span<const double> forces_N,
           int64_t run_steps, std::span<float> action);

  const DepController& controller() const { return controller_; }
  const DepSwitching& switching() const { return switching_; }

  // Controller and switching state, appended as two strings; load throws UserError naming
  // `source` on data that does not fit.
  void save_state(std::vector<std::string>* out) const;
  void load_state(const std::string& controller, const std::string& switching,
                  const std::string& source);
  // The same two strings in a stream.
  void save_state(BinaryWriter* out) const override;
  void load_state(BinaryReader* in, const std::string& source) override;

 private:
  DepController controller_;
  DepSwitching switching_;
  std::vector<double> action_;                      // (num_muscles) scratch
  std::vector<double> fiber_lengths_m_, forces_N_;  // (num_muscles) scratch
};

}  // namespace sinew
