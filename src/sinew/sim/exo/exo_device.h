// One exoskeleton worn in one env (ExoSpec, on a model from add_exo_to_mjcf). Each control step
// it estimates each leg's gait phase from that foot's load as the device's sensors see it
// (sensors.delay late, with Gaussian noise of sd sensors.load_noise) and sets each side's target
// torque from its controller: the assistance profile over the phase (zero until a leg's phase
// is known) or zero. Each physics step it moves each actuator's torque toward the target within
// the rate limit and the torque limit, and books the mechanical power (torque x joint velocity)
// as positive and negative work, and the battery's electrical energy (positive work / motor
// efficiency, less negative work x efficiency with regeneration).
//
// Its state (torques, phase estimates, work, random state) goes with the env's saved state.
// Not thread-safe; one per env.
#pragma once

#include <mujoco/mujoco.h>

#include <array>
#include <deque>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "sinew/sim/exo/exo_spec.h"
#include "sinew/sim/exo/gait_phase_estimator.h"

namespace sinew {

class BinaryReader;
class BinaryWriter;

class ExoDevice {
 public:
  // Finds the device's actuators and joints in `m`. `body_weight_N` sets the contact
  // thresholds of the phase estimate (5 % and 2 % of it). Throws UserError naming `source` when
  // the model lacks them.
  ExoDevice(ExoSpec spec, const mjModel* m, double body_weight_N, const std::string& source);

  // A new episode; `seed` draws its sensor noise.
  void reset(uint64_t seed);
  // At the start of a control step at episode time t_s, with the feet's loads [N] (right,
  // left): sets the target torques.
  void control(double t_s, const std::array<double, 2>& loads_N);
  // At each physics step, before mj_step2: sets the actuators' controls and books this step's
  // power over dt_s.
  void actuate(const mjData* d, mjtNum* ctrl, double dt_s);

  // exo/positive_work [J], exo/negative_work [J] (both legs), exo/electrical_energy [J],
  // exo/strides (right heel strikes the phase estimate counted), exo/positive_work_per_stride
  // [J], exo/peak_torque [N m], exo/mass [kg].
  static const std::vector<std::string>& metric_names();
  void episode_metrics(std::map<std::string, double>* out) const;
  // Torque [N m] each side applies now (right, left), on the joint's coordinate.
  const std::array<double, 2>& torques_Nm() const { return torque_; }
  // The phase estimate of each leg now, -1 while unknown.
  std::array<double, 2> phases() const;
  const ExoSpec& spec() const { return spec_; }

  void save(BinaryWriter* out) const;
  void load(BinaryReader* in);

 private:
  ExoSpec spec_;
  bool profile_controlled_;  // exo.controller=profile (else zero torque)
  std::array<int, 2> actuator_{}, dof_{};
  std::array<GaitPhaseEstimator, 2> phase_;
  std::array<std::deque<std::array<double, 2>>, 2> sensed_;  // {time, load} not yet read
  std::array<double, 2> target_{}, torque_{};
  double time_s_ = 0;
  double positive_J_ = 0, negative_J_ = 0, electrical_J_ = 0, peak_Nm_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace sinew
