// Torque-limited pendulum swing-up (assets/models/pendulum.xml).
//
// A 1 m, 1 kg rod hangs from a hinge; the motor's torque (at most 2 N m) cannot hold it
// horizontal against gravity (4.9 N m), so the policy must swing it up and balance it.
// Angle 0 is upright. Observation: (cos th, sin th, th_dot [rad/s]). Action: torque in [-1, 1]
// (times 2 N m), or one of `action_bins` evenly spaced torques when action_bins > 0.
// Reward per step: -(th^2 + 0.1 th_dot^2 + 0.001 torque^2) with th wrapped to [-pi, pi].
// Episodes start at a uniformly random angle and velocity in [-1, 1] rad/s and last
// max_episode_steps control steps of frame_skip x timestep.
// Episode metric upright_fraction: the fraction of steps of the second half of an episode with
// |th| < 0.2 rad.
#pragma once

#include "sinew/sim/mujoco_env.h"

namespace sinew {

class PendulumEnv : public MujocoEnv {
 public:
  // Read by pendulum_entry.cc from the env.* keys named after the fields (defaults in
  // configs/env/pendulum.yaml).
  struct Options {
    int frame_skip{};                    // physics steps per control step
    int max_episode_steps{};             // control steps per episode
    int action_bins{};                   // 0: continuous torque; N > 1: N discrete torques
    double upright_threshold_rad = 0.2;  // |angle| counted as upright (not configurable)
  };

  // `model` must have a hinge joint "hinge" and an actuator "torque". Throws UserError.
  PendulumEnv(std::shared_ptr<const MujocoModel> model, const Options& options);

  void episode_metrics(std::map<std::string, double>* out) const override;

 protected:
  void initialize_episode(std::mt19937_64& rng, mjData* d) override;
  void apply_action(std::span<const float> action, mjData* d) override;
  void observe(const mjData* d, std::span<float> obs) const override;
  Outcome evaluate(const mjData* d, std::span<const float> action) override;
  void save_episode_stats(BinaryWriter* out) const override;
  void load_episode_stats(BinaryReader* in) override;

 private:
  static EnvSpec make_spec(const Options& options);
  double angle(const mjData* d) const;  // wrapped to [-pi, pi]

  Options options_;
  int qpos_adr_;
  int dof_adr_;
  int actuator_;
  int second_half_steps_ = 0;
  int second_half_upright_ = 0;
};

}  // namespace sinew
