#include "sinew/sim/pendulum/pendulum_env.h"

#include <algorithm>
#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {

EnvSpec PendulumEnv::make_spec(const Options& options) {
  EnvSpec spec;
  spec.name = "pendulum";
  spec.obs_dim = 3;
  spec.obs_parts = {{"cos_angle", 0, 1}, {"sin_angle", 1, 1}, {"angular_velocity", 2, 1}};
  spec.action_dim = 1;
  spec.num_actions = options.action_bins;
  spec.action_low = {-1.0f};
  spec.action_high = {1.0f};
  spec.max_episode_steps = options.max_episode_steps;
  spec.episode_metric_names = {"upright_fraction"};
  return spec;
}

PendulumEnv::PendulumEnv(std::shared_ptr<const MujocoModel> model, const Options& options)
    : MujocoEnv(model, options.frame_skip, make_spec(options)), options_(options) {
  int joint = model->joint_id("hinge");
  actuator_ = model->actuator_id("torque");
  const mjModel* m = model->get();
  qpos_adr_ = m->jnt_qposadr[joint];
  dof_adr_ = m->jnt_dofadr[joint];
  if (options.action_bins == 1) throw UserError("pendulum: action_bins must be 0 or at least 2");
}

double PendulumEnv::angle(const mjData* d) const {
  return std::remainder(d->qpos[qpos_adr_], 2.0 * M_PI);
}

void PendulumEnv::initialize_episode(std::mt19937_64& rng, mjData* d) {
  std::uniform_real_distribution<double> angle_dist(-M_PI, M_PI);
  std::uniform_real_distribution<double> velocity_dist(-1.0, 1.0);
  d->qpos[qpos_adr_] = angle_dist(rng);
  d->qvel[dof_adr_] = velocity_dist(rng);
  second_half_steps_ = 0;
  second_half_upright_ = 0;
}

void PendulumEnv::apply_action(std::span<const float> action, mjData* d) {
  double control = action[0];
  if (options_.action_bins > 0) {
    // index -> evenly spaced torque in [-1, 1]
    int index = std::clamp(static_cast<int>(std::lround(action[0])), 0, options_.action_bins - 1);
    control = -1.0 + 2.0 * index / (options_.action_bins - 1);
  }
  d->ctrl[actuator_] = control;
}

void PendulumEnv::observe(const mjData* d, std::span<float> obs) const {
  double th = d->qpos[qpos_adr_];
  obs[0] = static_cast<float>(std::cos(th));
  obs[1] = static_cast<float>(std::sin(th));
  obs[2] = static_cast<float>(d->qvel[dof_adr_]);
}

MujocoEnv::Outcome PendulumEnv::evaluate(const mjData* d, std::span<const float> action) {
  double th = angle(d);
  double th_dot = d->qvel[dof_adr_];
  double torque = d->qfrc_actuator[dof_adr_];  // joint torque [N m] = gear x control
  // upright statistics over the second half of the episode
  if (episode_step() > spec().max_episode_steps / 2) {
    ++second_half_steps_;
    if (std::fabs(th) < options_.upright_threshold_rad) ++second_half_upright_;
  }
  Outcome outcome;
  outcome.reward = static_cast<float>(-(th * th + 0.1 * th_dot * th_dot + 0.001 * torque * torque));
  return outcome;
}

void PendulumEnv::episode_metrics(std::map<std::string, double>* out) const {
  (*out)["upright_fraction"] =
      second_half_steps_ > 0 ? static_cast<double>(second_half_upright_) / second_half_steps_ : 0;
}

void PendulumEnv::save_episode_stats(BinaryWriter* out) const {
  out->put<int>(second_half_steps_);
  out->put<int>(second_half_upright_);
}

void PendulumEnv::load_episode_stats(BinaryReader* in) {
  second_half_steps_ = in->get<int>();
  second_half_upright_ = in->get<int>();
}

}  // namespace sinew
