#include "sinew/sim/gait/gait_env.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sinew/core/errors.h"
#include "sinew/env/sensor_names.h"
#include "sinew/sim/gait/gait_trace_recorder.h"

namespace sinew {
namespace {

constexpr double kDeg = M_PI / 180.0;
const char* kSides[] = {"r", "l"};

int require(const mjModel* m, mjtObj type, const std::string& name, const std::string& source) {
  int id = mj_name2id(m, type, name.c_str());
  if (id < 0) throw UserError(fmt::format("{}: the gait env needs '{}'", source, name));
  return id;
}

}  // namespace

std::vector<MuscleParameters> GaitEnv::h0918_muscles() {
  // name, F_max [N], l_opt [m], l_slack [m], pennation [rad] (H0918, REFERENCE.md section 2)
  struct Row {
    const char* name;
    double f, l_opt, l_slack, pennation;
  };
  const Row rows[] = {
      {"hamstrings", 2594, 0.109, 0.310, 0.0}, {"bifemsh", 804, 0.173, 0.071, 0.401},
      {"glut_max", 1944, 0.147, 0.127, 0.0},   {"iliopsoas", 2342, 0.100, 0.163, 0.140},
      {"rect_fem", 1169, 0.114, 0.305, 0.087}, {"vasti", 4530, 0.087, 0.136, 0.052},
      {"gastroc", 2241, 0.060, 0.390, 0.297},  {"soleus", 3549, 0.050, 0.250, 0.436},
      {"tib_ant", 1759, 0.098, 0.223, 0.087}};
  std::vector<MuscleParameters> out;
  for (const char* side : kSides) {
    for (const Row& r : rows) {
      MuscleParameters p;
      p.name = fmt::format("{}_{}", r.name, side);
      p.max_isometric_force_N = r.f;
      p.optimal_fiber_length_m = r.l_opt;
      p.tendon_slack_length_m = r.l_slack;
      p.pennation_at_optimal_rad = r.pennation;
      out.push_back(p);
    }
  }
  return out;
}

EnvSpec GaitEnv::make_spec(const Options& options) {
  EnvSpec spec;
  spec.name = "gait";
  spec.obs_dim = 4 * kMuscles + 4 + 3 + 6 + 9 + 9 + kMuscles;  // 121
  if (options.phase_observation) spec.obs_dim += 2;
  spec.action_dim = kMuscles;
  spec.action_low.assign(kMuscles, 0.0f);
  spec.action_high.assign(kMuscles, static_cast<float>(options.max_excitation));
  for (const MuscleParameters& p : h0918_muscles()) spec.action_names.push_back(p.name);
  spec.max_episode_steps = options.max_episode_steps;
  spec.episode_metric_names = {"distance",  "velocity", "fall_rate",
                               "completed", "effort",   "cost_of_transport"};
  for (const auto& term : options.reward)
    spec.episode_metric_names.push_back("reward/" + term.name);
  if (options.normative) {
    for (const char* joint : {"hip", "knee", "ankle"}) {
      spec.episode_metric_names.push_back(std::string("gait_similarity/") + joint);
    }
  }
  if (options.exo) {
    for (const auto& name : ExoDevice::metric_names()) spec.episode_metric_names.push_back(name);
    spec.episode_metric_names.push_back("exo/person_mass");
  }
  return spec;
}

GaitEnv::GaitEnv(std::shared_ptr<const MujocoModel> model, Options options)
    : MujocoEnv(model, options.frame_skip, make_spec(options)), options_(std::move(options)) {
  const mjModel* m = model->get();
  const std::string& src = model->source();
  for (const auto& p : h0918_muscles()) {
    muscles_.emplace_back(p, options_.tendon);
    tendon_ids_.push_back(require(m, mjOBJ_TENDON, p.name, src));
    actuator_ids_.push_back(require(m, mjOBJ_ACTUATOR, p.name, src));
  }
  // the 9 DOFs in observation order
  for (const char* name : {"pelvis_tx", "pelvis_ty", "pelvis_tilt", "hip_flexion_r", "knee_angle_r",
                           "ankle_angle_r", "hip_flexion_l", "knee_angle_l", "ankle_angle_l"}) {
    int j = require(m, mjOBJ_JOINT, name, src);
    dof_qpos_.push_back(m->jnt_qposadr[j]);
    dof_dofs_.push_back(m->jnt_dofadr[j]);
  }
  for (int side = 0; side < 2; ++side) {
    const std::string s = kSides[side];
    for (const char* joint : {"hip_flexion_", "knee_angle_", "ankle_angle_"}) {
      leg_joints_[side].push_back(require(m, mjOBJ_JOINT, joint + s, src));
    }
    // soft limits of hip, knee and ankle
    for (int k = 0; k < 3; ++k) {
      const int j = leg_joints_[side][k];
      const Options::JointLimit& limit = options_.joint_limits[k];
      limits_.push_back({m->jnt_qposadr[j], m->jnt_dofadr[j], limit.lower_deg * kDeg,
                         limit.upper_deg * kDeg, limit.stiffness_Nm_per_rad,
                         limit.damping_Nms_per_rad});
    }
    calcn_body_[side] = require(m, mjOBJ_BODY, "calcn_" + s, src);
    foot_geoms_[side] = {require(m, mjOBJ_GEOM, "heel_" + s, src),
                         require(m, mjOBJ_GEOM, "toe_" + s, src)};
  }
  limit_torques_.assign(limits_.size(), 0.0);
  pelvis_body_ = require(m, mjOBJ_BODY, "pelvis", src);
  torso_body_ = require(m, mjOBJ_BODY, "torso", src);
  head_site_ = require(m, mjOBJ_SITE, "head", src);
  body_weight_N_ = mj_getTotalmass(m) * std::fabs(m->opt.gravity[2]);
  person_mass_kg_ = mj_getTotalmass(m);
  if (options_.exo) {
    exo_ = std::make_unique<ExoDevice>(*options_.exo, m, body_weight_N_, src);
    person_mass_kg_ -= options_.exo->total_mass_kg();
  }
  excitation_.assign(kMuscles, 0.0);
  previous_excitation_.assign(kMuscles, 0.0);
  activation_scratch_.assign(kMuscles, 0.0);
  reward_sums_.assign(options_.reward.size(), 0.0);
  for (const auto& term : options_.reward) measures_.push_back(term.make());
  dof_names_ = {"pelvis_tx",     "pelvis_ty",     "pelvis_tilt",  "hip_flexion_r", "knee_angle_r",
                "ankle_angle_r", "hip_flexion_l", "knee_angle_l", "ankle_angle_l"};
  dof_positions_.assign(9, 0.0);
  dof_velocities_.assign(9, 0.0);
  // the standing pose: the model's reference configuration (pelvis translations not tracked)
  standing_positions_.assign(9, 0.0);
  for (int k = 2; k < 9; ++k) standing_positions_[k] = m->qpos0[dof_qpos_[k]];
  if ((options_.start_from_reference || options_.phase_observation) && !options_.reference) {
    throw UserError(
        fmt::format("{}: the gait env needs a reference motion to start from it or "
                    "observe its phase",
                    src));
  }
  if (options_.start_from_reference) {
    // every joint angle must be in the reference (throws naming the file and its columns)
    for (const auto& name : dof_names_) {
      if (name != "pelvis_tx" && name != "pelvis_ty") options_.reference->table().column(name);
    }
  }
}

void GaitEnv::set_pose_from_reference(double t, mjData* d) {
  const ReferenceMotion& reference = *options_.reference;
  for (int k = 2; k < 9; ++k) {
    d->qpos[dof_qpos_[k]] = reference.value(dof_names_[k], t);
    d->qvel[dof_dofs_[k]] = reference.rate(dof_names_[k], t);
  }
  if (reference.has("pelvis_tx")) d->qvel[dof_dofs_[0]] = reference.rate("pelvis_tx", t);
}

void GaitEnv::initialize_episode(std::mt19937_64& rng, mjData* d) {
  const mjModel* m = model();
  std::normal_distribution<double> position(0.0, options_.position_noise_rad);
  std::normal_distribution<double> velocity(0.0, options_.velocity_noise_radps);
  // standing pose or the reference at a random phase, with noise on every joint but the root's
  // translation
  reference_start_s_ = 0;
  const bool from_reference = options_.start_from_reference &&
                              !std::bernoulli_distribution(options_.standing_start_fraction)(rng);
  standing_start_ = !from_reference;
  if (from_reference) {
    reference_start_s_ =
        std::uniform_real_distribution<double>(0, options_.reference->period_s())(rng);
    set_pose_from_reference(reference_start_s_, d);
  }
  for (int k = 2; k < 9; ++k) {
    d->qpos[dof_qpos_[k]] += position(rng);
    d->qvel[dof_dofs_[k]] += velocity(rng);
  }
  if (options_.random_swap && std::bernoulli_distribution(0.5)(rng)) {
    for (int k = 0; k < 3; ++k) {
      int r = leg_joints_[0][k], l = leg_joints_[1][k];
      std::swap(d->qpos[m->jnt_qposadr[r]], d->qpos[m->jnt_qposadr[l]]);
      std::swap(d->qvel[m->jnt_dofadr[r]], d->qvel[m->jnt_dofadr[l]]);
    }
  }
  // lower or raise the body so the lowest foot sphere just touches the ground
  if (from_reference) {
    mj_kinematics(m, d);
    double lowest = 1e9;
    for (int side = 0; side < 2; ++side) {
      for (int g : foot_geoms_[side]) {
        lowest = std::min(lowest, d->geom_xpos[3 * g + 2] - m->geom_size[3 * g]);
      }
    }
    d->qpos[dof_qpos_[1]] -= lowest;
  }
  // muscles at rest at this pose
  mj_forward(m, d);
  for (int i = 0; i < kMuscles; ++i) {
    muscles_[i].initialize(d->ten_length[tendon_ids_[i]], muscles_[i].parameters().min_activation);
  }
  std::fill(excitation_.begin(), excitation_.end(), 0.0);
  std::fill(previous_excitation_.begin(), previous_excitation_.end(), 0.0);
  std::fill(reward_sums_.begin(), reward_sums_.end(), 0.0);
  for (auto& measure : measures_) measure->reset();
  metabolic_energy_J_ = 0;
  cycles_.clear();
  push_started_s_ = -1;
  start_x_m_ = d->subtree_com[3 * pelvis_body_];
  com_x_before_ = start_x_m_;
  fell_ = false;
  if (exo_) exo_->reset(rng());
}

void GaitEnv::apply_action(std::span<const float> action, mjData* d) {
  previous_excitation_ = excitation_;
  for (int i = 0; i < kMuscles; ++i) excitation_[i] = action[i];
  if (exo_) exo_->control(episode_time_s(), foot_loads_N());
}

void GaitEnv::apply_limit_torques(const mjModel* m, mjData* d) {
  for (std::size_t k = 0; k < limits_.size(); ++k) {
    const SoftLimit& l = limits_[k];
    const double q = d->qpos[l.qpos], qd = d->qvel[l.dof];
    double torque = 0;
    if (q < l.lower_rad) {
      torque = l.stiffness * (l.lower_rad - q) - l.damping * std::min(qd, 0.0);
    } else if (q > l.upper_rad) {
      torque = -l.stiffness * (q - l.upper_rad) - l.damping * std::max(qd, 0.0);
    }
    limit_torques_[k] = torque;
    d->qfrc_applied[l.dof] = torque;
  }
}

void GaitEnv::physics_step(const mjModel* m, mjData* d) {
  // positions and velocities first, so muscles see this step's tendon lengths
  mj_step1(m, d);
  const double dt = m->opt.timestep;
  for (int i = 0; i < kMuscles; ++i) {
    const int t = tendon_ids_[i];
    const double force = muscles_[i].step(excitation_[i], d->ten_length[t], d->ten_velocity[t], dt);
    d->ctrl[actuator_ids_[i]] = -force;  // a tendon motor's positive force lengthens the path
  }
  apply_limit_torques(m, d);
  apply_push(d);
  if (exo_) exo_->actuate(d, d->ctrl, dt);
  mj_step2(m, d);
}

void GaitEnv::apply_push(mjData* d) {
  const Options::Push& push = options_.push;
  if (push.impulse_Ns == 0) return;
  double* force = d->xfrc_applied + 6 * pelvis_body_;
  // evaluate() starts the push at mid-stance; this control step started at t
  const double t = episode_time_s();
  const bool on = push_started_s_ >= 0 && t < push_started_s_ + push.duration_s;
  force[0] = on ? push.impulse_Ns / push.duration_s : 0.0;
}

double GaitEnv::torso_lean_rad(const mjData* d) const {
  // the torso's long axis (its z) against the world's vertical, + leaning forward
  const mjtNum* r = d->xmat + 9 * torso_body_;
  return std::atan2(r[2], r[8]);
}

std::array<double, 2> GaitEnv::foot_loads_N() const {
  const mjModel* m = model();
  const mjData* d = data();
  std::array<double, 2> load = {0, 0};
  for (int c = 0; c < d->ncon; ++c) {
    const mjContact& con = d->contact[c];
    for (int side = 0; side < 2; ++side) {
      for (int g : foot_geoms_[side]) {
        if (con.geom1 != g && con.geom2 != g) continue;
        mjtNum force[6];
        mj_contactForce(m, d, c, force);
        // the normal force along the contact frame's first axis; vertical component in world
        load[side] += std::fabs(force[0] * con.frame[2]);
      }
    }
  }
  return load;
}

double GaitEnv::com_height_m() const { return data()->subtree_com[3 * pelvis_body_ + 2]; }

double GaitEnv::head_height_m() const { return data()->site_xpos[3 * head_site_ + 2]; }

void GaitEnv::observe(const mjData* d, std::span<float> obs) const {
  const mjModel* m = model();
  std::size_t k = 0;
  // muscles: fiber length, velocity, force (normalized), excitation
  for (const auto& mu : muscles_) {
    obs[k++] =
        static_cast<float>(mu.state().fiber_length_m / mu.parameters().optimal_fiber_length_m);
  }
  for (const auto& mu : muscles_) {
    const auto& p = mu.parameters();
    obs[k++] = static_cast<float>(mu.state().fiber_velocity_mps /
                                  (p.max_contraction_velocity * p.optimal_fiber_length_m));
  }
  for (const auto& mu : muscles_) {
    obs[k++] = static_cast<float>(mu.state().force_N / mu.parameters().max_isometric_force_N);
  }
  for (const auto& mu : muscles_) obs[k++] = static_cast<float>(mu.state().excitation);
  // head orientation and angular velocity
  mjtNum quat[4];
  mju_mat2Quat(quat, d->site_xmat + 9 * head_site_);
  for (int i = 0; i < 4; ++i) obs[k++] = static_cast<float>(quat[i]);
  mjtNum velocity[6];
  mj_objectVelocity(m, d, mjOBJ_SITE, head_site_, velocity, 0);
  for (int i = 0; i < 3; ++i) obs[k++] = static_cast<float>(velocity[i]);
  // feet relative to the pelvis
  for (int side = 0; side < 2; ++side) {
    for (int i = 0; i < 3; ++i) {
      obs[k++] =
          static_cast<float>(d->xpos[3 * calcn_body_[side] + i] - d->xpos[3 * pelvis_body_ + i]);
    }
  }
  // DOFs: pelvis_tx zeroed, pelvis_ty as the pelvis height
  for (int i = 0; i < 9; ++i) {
    double q = d->qpos[dof_qpos_[i]];
    if (i == 0) q = 0;
    if (i == 1) q = d->xpos[3 * pelvis_body_ + 2];
    obs[k++] = static_cast<float>(q);
  }
  for (int i = 0; i < 9; ++i) obs[k++] = static_cast<float>(d->qvel[dof_dofs_[i]]);
  for (const auto& mu : muscles_) obs[k++] = static_cast<float>(mu.state().activation);
  if (options_.phase_observation) {
    const double phase = options_.reference->phase(reference_start_s_ + episode_time_s());
    obs[k++] = static_cast<float>(std::sin(2 * M_PI * phase));
    obs[k++] = static_cast<float>(std::cos(2 * M_PI * phase));
  }
}

MujocoEnv::Outcome GaitEnv::evaluate(const mjData* d, std::span<const float> action) {
  // the sample the measures read
  GaitSample s;
  s.dt_s = spec().control_dt_s;
  const int root = pelvis_body_;
  // COM velocity: subtree linear momentum / mass
  const double com_x = d->subtree_com[3 * root];
  // forward COM velocity over the control step, from the COM at the end of each step (both
  // computed at the last physics step's kinematics, so a restored env sees the same values)
  s.com_velocity_x_mps = (com_x - com_x_before_) / s.dt_s;
  com_x_before_ = com_x;
  s.body_weight_N = body_weight_N_;
  auto loads = foot_loads_N();
  s.foot_load_N[0] = loads[0];
  s.foot_load_N[1] = loads[1];
  s.limit_torques_Nm = limit_torques_;
  s.excitations = excitation_;
  s.previous_excitations = previous_excitation_;
  for (int i = 0; i < kMuscles; ++i) activation_scratch_[i] = muscles_[i].state().activation;
  s.activations = activation_scratch_;
  s.time_s = episode_time_s();
  s.reference_start_s = reference_start_s_;
  if (standing_start_ && options_.start_ramp_s > 0) {
    // smoothstep from the standing pose (0) to the reference (1)
    const double x = std::min(s.time_s / options_.start_ramp_s, 1.0);
    s.reference_blend = x * x * (3 - 2 * x);
    s.reference_blend_rate = 6 * x * (1 - x) / options_.start_ramp_s;
    s.standing_positions = standing_positions_;
  }
  s.body_mass_kg = person_mass_kg_;
  s.muscles = muscles_;
  for (int k = 0; k < 9; ++k) dof_positions_[k] = d->qpos[dof_qpos_[k]];
  dof_positions_[1] = d->xpos[3 * pelvis_body_ + 2];
  for (int k = 0; k < 9; ++k) dof_velocities_[k] = d->qvel[dof_dofs_[k]];
  s.dof_names = dof_names_;
  s.dof_positions = dof_positions_;
  s.dof_velocities = dof_velocities_;
  mjtNum velocity[6];
  mj_objectVelocity(model(), d, mjOBJ_BODY, torso_body_, velocity, 0);
  s.torso_angular_velocity_radps = {velocity[0], velocity[1], velocity[2]};

  Outcome outcome;
  double reward = 0;
  bool measure_ends = false;
  for (std::size_t i = 0; i < options_.reward.size(); ++i) {
    const auto& term = options_.reward[i];
    const double value = term.weight * term.shaping.apply(measures_[i]->value(s));
    measure_ends |= measures_[i]->terminate();
    reward_sums_[i] += value;
    reward += value;
  }
  metabolic_energy_J_ += MetabolicMeasure(false).value(s) * s.dt_s;
  // right leg for the gait-cycle comparison: hip flexion, knee flexion, dorsiflexion [deg]
  constexpr double kToDeg = 180.0 / M_PI;
  cycles_.add(s.time_s, dof_positions_[3] * kToDeg, -dof_positions_[4] * kToDeg,
              dof_positions_[5] * kToDeg, loads[0] / body_weight_N_);
  // the push starts at the first right-leg mid-stance after push.after_s: the right foot
  // carries the body while the left one swings
  if (options_.push.impulse_Ns != 0 && push_started_s_ < 0 && s.time_s >= options_.push.after_s &&
      loads[0] > 0.8 * body_weight_N_ && loads[1] < 0.05 * body_weight_N_) {
    push_started_s_ = s.time_s;
  }
  outcome.reward = static_cast<float>(reward);
  fell_ = com_height_m() < options_.min_com_height_m ||
          head_height_m() < options_.min_head_height_m ||
          (options_.max_torso_lean_deg > 0 &&
           std::fabs(torso_lean_rad(d)) > options_.max_torso_lean_deg * kDeg);
  outcome.terminated = fell_ || (options_.measure_termination && measure_ends);
  return outcome;
}

void GaitEnv::episode_metrics(std::map<std::string, double>* out) const {
  const double duration = std::max(episode_time_s(), 1e-9);
  const double distance = data()->subtree_com[3 * pelvis_body_] - start_x_m_;
  (*out)["distance"] = distance;
  (*out)["velocity"] = distance / duration;
  (*out)["fall_rate"] = fell_ ? 1.0 : 0.0;
  (*out)["completed"] = episode_step() >= spec().max_episode_steps ? 1.0 : 0.0;
  double effort = 0;
  for (const auto& mu : muscles_) effort += std::pow(mu.state().activation, 3);
  (*out)["effort"] = effort / kMuscles;
  (*out)["cost_of_transport"] =
      metabolic_energy_J_ / (person_mass_kg_ * std::max(1.0, std::fabs(distance)));
  for (std::size_t i = 0; i < options_.reward.size(); ++i) {
    (*out)["reward/" + options_.reward[i].name] = reward_sums_[i];
  }
  if (options_.normative) {
    auto similarity = cycles_.similarity(*options_.normative);
    (*out)["gait_similarity/hip"] = similarity[0];
    (*out)["gait_similarity/knee"] = similarity[1];
    (*out)["gait_similarity/ankle"] = similarity[2];
  }
  if (exo_) {
    exo_->episode_metrics(out);
    (*out)["exo/person_mass"] = person_mass_kg_;
  }
}

std::vector<std::string> GaitEnv::motion_labels() const {
  auto labels = MujocoEnv::motion_labels();
  for (const auto& mu : muscles_) labels.push_back(mu.parameters().name + ".activation");
  for (const auto& mu : muscles_) labels.push_back(mu.parameters().name + ".excitation");
  labels.push_back("grf_r");
  labels.push_back("grf_l");
  if (exo_) {
    for (int side = 0; side < 2; ++side) {
      labels.push_back(exo_->spec().actuator_name(side) + ".torque");
    }
  }
  return labels;
}

void GaitEnv::motion_values(std::vector<double>* out) const {
  const std::size_t first = out->size();
  MujocoEnv::motion_values(out);
  // pelvis_ty: the pelvis height rather than the offset from the standing pose
  (*out)[first + 1] = data()->xpos[3 * pelvis_body_ + 2];
  for (const auto& mu : muscles_) out->push_back(mu.state().activation);
  for (const auto& mu : muscles_) out->push_back(mu.state().excitation);
  auto loads = foot_loads_N();
  out->push_back(loads[0]);
  out->push_back(loads[1]);
  if (exo_) {
    for (double torque : exo_->torques_Nm()) out->push_back(torque);
  }
}

void GaitEnv::save_episode_stats(BinaryWriter* out) const {
  for (const auto& mu : muscles_) out->put(mu.state());
  out->put_vector(excitation_);
  out->put_vector(previous_excitation_);
  out->put_vector(reward_sums_);
  out->put<double>(start_x_m_);
  out->put<double>(com_x_before_);
  out->put<uint8_t>(fell_);
  out->put<double>(metabolic_energy_J_);
  out->put<double>(reference_start_s_);
  out->put<double>(push_started_s_);
  for (const auto& measure : measures_) out->put_vector(measure->episode_state());
  cycles_.save(out);
  out->put<uint8_t>(standing_start_);
  if (exo_) exo_->save(out);
}

void GaitEnv::load_episode_stats(BinaryReader* in) {
  for (auto& mu : muscles_) mu.set_state(in->get<MuscleState>());
  excitation_ = in->get_vector<double>();
  previous_excitation_ = in->get_vector<double>();
  reward_sums_ = in->get_vector<double>();
  if (excitation_.size() != muscles_.size() || reward_sums_.size() != options_.reward.size()) {
    in->fail("gait state does not match this env's muscles or reward terms");
  }
  start_x_m_ = in->get<double>();
  com_x_before_ = in->get<double>();
  fell_ = in->get<uint8_t>() != 0;
  metabolic_energy_J_ = in->get<double>();
  reference_start_s_ = in->get<double>();
  push_started_s_ = in->get<double>();
  for (auto& measure : measures_) measure->set_episode_state(in->get_vector<double>());
  cycles_.load(in);
  // states saved before gait initiation existed end here
  standing_start_ = !in->at_end() && in->get<uint8_t>() != 0;
  if (exo_) exo_->load(in);
}

bool GaitEnv::read_sensor(std::string_view name, std::vector<double>* out) const {
  const bool lengths = name == kSensorMuscleFiberLength;
  if (!lengths && name != kSensorMuscleForce) return false;
  out->resize(muscles_.size());
  for (std::size_t i = 0; i < muscles_.size(); ++i) {
    (*out)[i] = lengths ? muscles_[i].state().fiber_length_m : muscles_[i].state().force_N;
  }
  return true;
}

std::unique_ptr<TraceRecorder> GaitEnv::trace_recorder() const {
  return std::make_unique<GaitTraceRecorder>(*this);
}

}  // namespace sinew
