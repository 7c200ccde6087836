#include "sinew/sim/mjcf/mjcf_env.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {

int MjcfEnv::joint_id(const mjModel* m, const std::string& name, const char* key) {
  const int id = mj_name2id(m, mjOBJ_JOINT, name.c_str());
  if (id >= 0) return id;
  std::vector<std::string> joints;
  for (int j = 0; j < m->njnt; ++j) {
    const char* n = mj_id2name(m, mjOBJ_JOINT, j);
    if (n) joints.push_back(n);
  }
  throw ConfigError(key, fmt::format("{}: no joint '{}' in the model; joints: {}", key, name,
                                     fmt::join(joints, ", ")));
}

std::vector<int> MjcfEnv::observed_qpos(const mjModel* m, const Options& options) {
  std::vector<bool> hidden(m->nq, false);
  if (options.exclude_root_xy && m->njnt > 0 && m->jnt_type[0] == mjJNT_FREE) {
    hidden[m->jnt_qposadr[0]] = hidden[m->jnt_qposadr[0] + 1] = true;
  }
  for (const auto& name : options.hidden_joints) {
    const int j = joint_id(m, name, "env.hidden_joints");
    const int end = j + 1 < m->njnt ? m->jnt_qposadr[j + 1] : m->nq;
    for (int i = m->jnt_qposadr[j]; i < end; ++i) hidden[i] = true;
  }
  std::vector<int> out;
  for (int i = 0; i < m->nq; ++i) {
    if (!hidden[i]) out.push_back(i);
  }
  return out;
}

EnvSpec MjcfEnv::make_spec(const mjModel* m, const Options& options) {
  EnvSpec spec;
  spec.name = "mjcf";
  const std::vector<int> qpos = observed_qpos(m, options);
  spec.obs_dim = static_cast<int>(qpos.size()) + m->nv;
  // parts: each joint's observed positions, then each joint's velocities (qpos/<joint>,
  // qvel/<joint>)
  auto joint_name = [m](int j) {
    const char* name = mj_id2name(m, mjOBJ_JOINT, j);
    return name ? std::string(name) : fmt::format("joint_{}", j);
  };
  for (int j = 0; j < m->njnt; ++j) {
    const int begin = m->jnt_qposadr[j], end = j + 1 < m->njnt ? m->jnt_qposadr[j + 1] : m->nq;
    int offset = -1, size = 0;
    for (std::size_t k = 0; k < qpos.size(); ++k) {
      if (qpos[k] < begin || qpos[k] >= end) continue;
      if (offset < 0) offset = static_cast<int>(k);
      ++size;
    }
    if (size > 0) spec.obs_parts.push_back({"qpos/" + joint_name(j), offset, size});
  }
  for (int j = 0; j < m->njnt; ++j) {
    const int begin = m->jnt_dofadr[j], end = j + 1 < m->njnt ? m->jnt_dofadr[j + 1] : m->nv;
    if (end > begin) {
      spec.obs_parts.push_back(
          {"qvel/" + joint_name(j), static_cast<int>(qpos.size()) + begin, end - begin});
    }
  }
  spec.action_dim = m->nu;
  for (int i = 0; i < m->nu; ++i) {
    const char* name = mj_id2name(m, mjOBJ_ACTUATOR, i);
    spec.action_names.push_back(name ? std::string(name) : fmt::format("actuator_{}", i));
  }
  spec.action_low.assign(m->nu, -1.0f);
  spec.action_high.assign(m->nu, 1.0f);
  spec.max_episode_steps = options.max_episode_steps;
  spec.episode_metric_names = {"distance", "velocity", "fall_rate"};
  return spec;
}

MjcfEnv::MjcfEnv(std::shared_ptr<const MujocoModel> model, const Options& options)
    : MujocoEnv(model, options.frame_skip, make_spec(model->get(), options)), options_(options) {
  const mjModel* m = model->get();
  if (m->nu == 0) throw UserError(fmt::format("{}: the model has no actuators", model->source()));
  int id = mj_name2id(m, mjOBJ_BODY, options.body.c_str());
  if (id < 0) {
    std::vector<std::string> bodies;
    for (int b = 1; b < m->nbody; ++b)
      bodies.push_back(mj_id2name(m, mjOBJ_BODY, b) ? mj_id2name(m, mjOBJ_BODY, b) : "");
    throw UserError(fmt::format("{}: no body '{}' (env.body); bodies: {}", model->source(),
                                options.body, fmt::join(bodies, ", ")));
  }
  body_ = id;
  observed_qpos_ = observed_qpos(m, options);
  for (const auto& range : options.healthy_joints) {
    const int j = joint_id(m, range.joint, "env.healthy_joints");
    if (m->jnt_type[j] != mjJNT_SLIDE && m->jnt_type[j] != mjJNT_HINGE) {
      throw ConfigError(
          "env.healthy_joints",
          fmt::format("env.healthy_joints: '{}' is not a slide or hinge joint", range.joint));
    }
    healthy_.emplace_back(m->jnt_qposadr[j], range);
  }
}

void MjcfEnv::initialize_episode(std::mt19937_64& rng, mjData* d) {
  const mjModel* m = model();
  std::uniform_real_distribution<double> noise(-options_.reset_noise, options_.reset_noise);
  for (int i = 0; i < m->nq; ++i) d->qpos[i] = m->qpos0[i] + noise(rng);
  for (int i = 0; i < m->nv; ++i) d->qvel[i] = noise(rng);
  mj_kinematics(m, d);
  mj_comPos(m, d);
  start_x_ = com_x_before_ = forward_x(d);
  distance_ = 0;
}

void MjcfEnv::apply_action(std::span<const float> action, mjData* d) {
  const mjModel* m = model();
  for (int i = 0; i < m->nu; ++i) {
    double a = action[i];
    if (m->actuator_ctrllimited[i]) {
      const double lo = m->actuator_ctrlrange[2 * i], hi = m->actuator_ctrlrange[2 * i + 1];
      a = lo + (a + 1.0) * 0.5 * (hi - lo);
    }
    d->ctrl[i] = a;
  }
}

void MjcfEnv::observe(const mjData* d, std::span<float> obs) const {
  const mjModel* m = model();
  std::size_t k = 0;
  for (int i : observed_qpos_) obs[k++] = static_cast<float>(d->qpos[i]);
  for (int i = 0; i < m->nv; ++i) {
    obs[k++] =
        static_cast<float>(std::clamp(d->qvel[i], -options_.velocity_clip, options_.velocity_clip));
  }
}

MujocoEnv::Outcome MjcfEnv::evaluate(const mjData* d, std::span<const float> action) {
  const double dt = spec().control_dt_s;
  const double com_x = forward_x(d);
  const double velocity = (com_x - com_x_before_) / dt;
  com_x_before_ = com_x;
  distance_ = com_x - start_x_;
  double control = 0;
  for (float a : action) control += static_cast<double>(a) * a;
  Outcome outcome;
  // height and tilt of the body
  const double height = d->xpos[3 * body_ + 2];
  const double up = d->xmat[9 * body_ + 8];  // z axis of the body, its world z component
  const double tilt_deg = std::acos(std::clamp(up, -1.0, 1.0)) * 180.0 / M_PI;
  outcome.terminated = height < options_.min_height_m || height > options_.max_height_m ||
                       (options_.max_tilt_deg > 0 && tilt_deg > options_.max_tilt_deg);
  for (const auto& [address, range] : healthy_) {
    const double q = d->qpos[address];
    if (q < range.low || q > range.high) outcome.terminated = true;
  }
  const bool bonus = !outcome.terminated || options_.alive_bonus_on_end;
  outcome.reward =
      static_cast<float>(options_.forward_weight * velocity + (bonus ? options_.alive_bonus : 0.0) -
                         options_.control_cost * control);
  return outcome;
}

double MjcfEnv::forward_x(const mjData* d) const {
  return options_.velocity_of_body ? d->xpos[3 * body_] : d->subtree_com[3 * body_];
}

void MjcfEnv::episode_metrics(std::map<std::string, double>* out) const {
  const double duration = std::max(episode_time_s(), 1e-9);
  (*out)["distance"] = distance_;
  (*out)["velocity"] = distance_ / duration;
  (*out)["fall_rate"] = episode_step() < spec().max_episode_steps ? 1.0 : 0.0;
}

void MjcfEnv::save_episode_stats(BinaryWriter* out) const {
  out->put<double>(com_x_before_);
  out->put<double>(start_x_);
  out->put<double>(distance_);
}

void MjcfEnv::load_episode_stats(BinaryReader* in) {
  com_x_before_ = in->get<double>();
  start_x_ = in->get<double>();
  distance_ = in->get<double>();
}

}  // namespace sinew
