// Makes MuJoCo envs of one kind: the compiled model, loaded once and shared read-only by every
// env, and the control step in physics steps (env.frame_skip). Its raw dynamics are plain
// mj_step calls on the same model.
#pragma once

#include <functional>
#include <memory>

#include "sinew/core/config.h"
#include "sinew/env/env_maker.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {

class MujocoEnvMaker final : public EnvMaker {
 public:
  // `make` builds one env on `model`; it is called once here for the spec.
  MujocoEnvMaker(std::shared_ptr<const MujocoModel> model, int frame_skip,
                 std::function<std::unique_ptr<Env>()> make);

  // Loads env.model (resolved like every model path); a bad file is a ConfigError on env.model.
  static std::shared_ptr<const MujocoModel> load_model(const Config& config);
  // env.frame_skip (physics steps per control step) and env.max_episode_steps (control steps),
  // which every MuJoCo env reads; ConfigError naming the key when out of range.
  static int frame_skip(const Config& config);
  static int max_episode_steps(const Config& config);

  const EnvSpec& spec() const override { return spec_; }
  std::unique_ptr<Env> make() const override { return make_(); }
  // frame_skip plain mj_step calls per control step with random controls in [-1, 1], reset
  // after each episode's length of simulated time.
  int64_t run_raw_dynamics(double seconds, uint64_t seed) const override;
  int substeps_per_step() const override { return frame_skip_; }

  const std::shared_ptr<const MujocoModel>& model() const { return model_; }

 private:
  std::shared_ptr<const MujocoModel> model_;
  int frame_skip_;
  std::function<std::unique_ptr<Env>()> make_;
  EnvSpec spec_;
};

}  // namespace sinew
