// Base class for environments simulated with MuJoCo.
//
// Owns one mjData, shares a read-only compiled model, applies `frame_skip` physics steps per
// control step, enforces the time limit (truncation), and turns a diverging simulation (non-finite
// state or MuJoCo's bad-acceleration warning) into a counted, terminated episode instead of a
// crash. Subclasses say how to start an episode, apply an action, observe and score.
#pragma once

#include <memory>
#include <random>

#include "sinew/core/binary_io.h"
#include "sinew/env/env.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {

class MujocoEnv : public Env {
 public:
  const EnvSpec& spec() const override { return spec_; }
  void reset(uint64_t seed, std::span<float> obs) final;
  StepResult step(std::span<const float> action, std::span<float> obs) final;
  int64_t divergences() const override { return divergences_; }
  // Every hinge and slide joint by name (hinges in degrees); subclasses may add channels.
  std::vector<std::string> motion_labels() const override;
  void motion_values(std::vector<double>* out) const override;
  bool saves_state() const final { return true; }
  std::string save_state() const final;
  void load_state(const std::string& bytes, const std::string& source) final;
  // The sagittal drawing of the model (SagittalTraceRecorder).
  std::unique_ptr<TraceRecorder> trace_recorder() const override;

  const mjModel* model() const { return model_->get(); }
  const mjData* data() const { return data_.get(); }
  // Control steps taken in the current episode.
  int episode_step() const { return episode_step_; }
  // Time since the episode began [s]: control steps taken x control_dt_s.
  double episode_time_s() const { return episode_step_ * spec_.control_dt_s; }

 protected:
  // `spec` must have obs/action sizes, max_episode_steps and name set; control_dt_s is derived
  // from the model's timestep and frame_skip.
  MujocoEnv(std::shared_ptr<const MujocoModel> model, int frame_skip, EnvSpec spec);

  // Sets the initial state of an episode in data (after mj_resetData). Use `rng` for noise.
  virtual void initialize_episode(std::mt19937_64& rng, mjData* d) = 0;
  // Writes controls for one control step from a (clipped to the spec's bounds) action.
  virtual void apply_action(std::span<const float> action, mjData* d) = 0;
  // One physics step; the default is mj_step. Envs with forces computed from the state at
  // every step (muscles) override it, typically as mj_step1, forces, mj_step2.
  virtual void physics_step(const mjModel* m, mjData* d) { mj_step(m, d); }
  // Writes the observation of the current state. obs: (obs_dim)
  virtual void observe(const mjData* d, std::span<float> obs) const = 0;
  // Reward for the step just taken and whether the state is terminal.
  struct Outcome {
    float reward = 0;
    bool terminated = false;
  };
  virtual Outcome evaluate(const mjData* d, std::span<const float> action) = 0;

  std::mt19937_64& rng() { return rng_; }

  // Episode statistics of the subclass, for save_state()/load_state().
  virtual void save_episode_stats(BinaryWriter* out) const {}
  virtual void load_episode_stats(BinaryReader* in) {}

 private:
  bool diverged() const;

  std::shared_ptr<const MujocoModel> model_;
  MjDataPtr data_;
  int frame_skip_;
  EnvSpec spec_;
  std::mt19937_64 rng_;
  std::vector<float> clipped_;  // (action_dim) scratch for the clipped action
  int episode_step_ = 0;
  int64_t divergences_ = 0;
};

}  // namespace sinew
