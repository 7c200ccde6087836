#include "sinew/sim/mujoco_env.h"

#include <algorithm>
#include <cmath>

namespace sinew {

MujocoEnv::MujocoEnv(std::shared_ptr<const MujocoModel> model, int frame_skip, EnvSpec spec)
    : model_(std::move(model)),
      data_(model_->make_data()),
      frame_skip_(frame_skip),
      spec_(std::move(spec)),
      clipped_(spec_.action_dim) {
  spec_.control_dt_s = model_->get()->opt.timestep * frame_skip_;
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
  for (int k = 0; k < frame_skip_; ++k) mj_step(m, d);
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

}  // namespace sinew
