#include "sinew/sim/mujoco_env.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sinew/sim/sagittal_trace_recorder.h"

namespace sinew {

MujocoEnv::MujocoEnv(std::shared_ptr<const MujocoModel> model, int frame_skip, EnvSpec spec)
    : model_(std::move(model)),
      data_(model_->make_data()),
      frame_skip_(frame_skip),
      spec_(std::move(spec)),
      clipped_(spec_.action_dim) {
  const mjModel* m = model_->get();
  spec_.control_dt_s = m->opt.timestep * frame_skip_;
  if (spec_.action_names.empty() && m->nu == spec_.action_dim) {
    for (int i = 0; i < m->nu; ++i) {
      const char* name = mj_id2name(m, mjOBJ_ACTUATOR, i);
      spec_.action_names.push_back(name ? name : fmt::format("actuator_{}", i));
    }
  }
}

void MujocoEnv::reset(uint64_t seed, std::span<float> obs) {
  rng_.seed(seed);
  const mjModel* m = model_->get();
  mjData* d = data_.get();
  mj_resetData(m, d);
  initialize_episode(rng_, d);
  mj_forward(m, d);
  episode_step_ = 0;
  observe(d, obs);
}

bool MujocoEnv::diverged() const {
  const mjModel* m = model_->get();
  const mjData* d = data_.get();
  if (d->warning[mjWARN_BADQACC].number > 0) return true;
  for (int i = 0; i < m->nq; ++i) {
    if (!std::isfinite(d->qpos[i])) return true;
  }
  for (int i = 0; i < m->nv; ++i) {
    if (!std::isfinite(d->qvel[i])) return true;
  }
  return false;
}

StepResult MujocoEnv::step(std::span<const float> action, std::span<float> obs) {
  const mjModel* m = model_->get();
  mjData* d = data_.get();

  // clip continuous actions to the declared bounds (NaN becomes the lower bound)
  if (!spec_.is_discrete()) {
    for (int i = 0; i < spec_.action_dim; ++i) {
      float a = action[i];
      clipped_[i] = std::isnan(a) ? spec_.action_low[i]
                                  : std::clamp(a, spec_.action_low[i], spec_.action_high[i]);
    }
  } else {
    clipped_[0] = action[0];
  }
  apply_action(clipped_, d);

  // physics
  for (int k = 0; k < frame_skip_; ++k) physics_step(m, d);
  ++episode_step_;

  StepResult result;
  if (diverged()) {
    // a diverging simulation ends the episode; the caller resets it
    ++divergences_;
    d->warning[mjWARN_BADQACC].number = 0;
    std::fill(obs.begin(), obs.end(), 0.0f);
    result.terminated = true;
    result.diverged = true;
    return result;
  }
  Outcome outcome = evaluate(d, clipped_);
  result.reward = outcome.reward;
  result.terminated = outcome.terminated;
  result.truncated = !outcome.terminated && episode_step_ >= spec_.max_episode_steps;
  observe(d, obs);
  return result;
}

namespace {

template <typename T>
void put_array(BinaryWriter* out, const T* data, int n) {
  out->put_vector(std::vector<T>(data, data + n));
}

template <typename T>
void get_array(BinaryReader* in, T* data, int n, const char* what) {
  auto values = in->get_vector<T>();
  if (static_cast<int>(values.size()) != n)
    in->fail(std::string("state of ") + what + " does not match the model");
  std::copy(values.begin(), values.end(), data);
}

}  // namespace

std::vector<std::string> MujocoEnv::motion_labels() const {
  const mjModel* m = model_->get();
  std::vector<std::string> labels;
  for (int j = 0; j < m->njnt; ++j) {
    if (m->jnt_type[j] == mjJNT_HINGE || m->jnt_type[j] == mjJNT_SLIDE) {
      const char* name = mj_id2name(m, mjOBJ_JOINT, j);
      labels.push_back(name ? name : "joint" + std::to_string(j));
    }
  }
  return labels;
}

void MujocoEnv::motion_values(std::vector<double>* out) const {
  const mjModel* m = model_->get();
  const mjData* d = data_.get();
  for (int j = 0; j < m->njnt; ++j) {
    const double q = d->qpos[m->jnt_qposadr[j]];
    if (m->jnt_type[j] == mjJNT_HINGE) out->push_back(q * 180.0 / M_PI);
    if (m->jnt_type[j] == mjJNT_SLIDE) out->push_back(q);
  }
}

std::string MujocoEnv::save_state() const {
  const mjModel* m = model_->get();
  const mjData* d = data_.get();
  BinaryWriter out;
  out.put_string(spec_.name);
  out.put<double>(d->time);
  put_array(&out, d->qpos, m->nq);
  put_array(&out, d->qvel, m->nv);
  put_array(&out, d->act, m->na);
  put_array(&out, d->ctrl, m->nu);
  put_array(&out, d->qacc_warmstart, m->nv);
  put_array(&out, d->qfrc_applied, m->nv);
  put_array(&out, d->xfrc_applied, 6 * m->nbody);
  put_array(&out, d->mocap_pos, 3 * m->nmocap);
  put_array(&out, d->mocap_quat, 4 * m->nmocap);
  out.put<int>(episode_step_);
  out.put<int64_t>(divergences_);
  std::ostringstream rng_text;
  rng_text << rng_;
  out.put_string(rng_text.str());
  save_episode_stats(&out);
  return out.bytes();
}

void MujocoEnv::load_state(const std::string& bytes, const std::string& source) {
  const mjModel* m = model_->get();
  mjData* d = data_.get();
  BinaryReader in(bytes, source);
  if (in.get_string() != spec_.name) in.fail("state belongs to another environment");
  mj_resetData(m, d);
  d->time = in.get<double>();
  get_array(&in, d->qpos, m->nq, "qpos");
  get_array(&in, d->qvel, m->nv, "qvel");
  get_array(&in, d->act, m->na, "act");
  get_array(&in, d->ctrl, m->nu, "ctrl");
  get_array(&in, d->qacc_warmstart, m->nv, "qacc_warmstart");
  get_array(&in, d->qfrc_applied, m->nv, "qfrc_applied");
  get_array(&in, d->xfrc_applied, 6 * m->nbody, "xfrc_applied");
  get_array(&in, d->mocap_pos, 3 * m->nmocap, "mocap_pos");
  get_array(&in, d->mocap_quat, 4 * m->nmocap, "mocap_quat");
  episode_step_ = in.get<int>();
  divergences_ = in.get<int64_t>();
  std::istringstream rng_text(in.get_string());
  rng_text >> rng_;
  if (!rng_text) in.fail("bad random-number state");
  load_episode_stats(&in);
  if (!in.at_end()) in.fail("unexpected data after the env state");
  mj_forward(m, d);
}

std::unique_ptr<TraceRecorder> MujocoEnv::trace_recorder() const {
  return std::make_unique<SagittalTraceRecorder>(*this);
}

}  // namespace sinew
