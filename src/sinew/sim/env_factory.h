// Builds environments from the `env.*` section of a config. Models are loaded and compiled
// once and shared read-only by every env the factory makes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/env/env.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {

class EnvFactory {
 public:
  // Reads env.name and that env's keys; throws ConfigError / UserError on bad values or files.
  explicit EnvFactory(const Config& config);

  const EnvSpec& spec() const { return spec_; }
  // A new env. Thread-safe (the shared model is read-only).
  std::unique_ptr<Env> make() const { return make_(); }

  // The compiled model and physics steps per control step, for raw-physics benchmarks.
  const std::shared_ptr<const MujocoModel>& model() const { return model_; }
  int frame_skip() const { return frame_skip_; }

  // Every env sinew knows, as (name, one-line description).
  static std::vector<std::pair<std::string, std::string>> available();

 private:
  std::shared_ptr<const MujocoModel> model_;
  int frame_skip_ = 1;
  std::function<std::unique_ptr<Env>()> make_;
  EnvSpec spec_;
};

}  // namespace sinew
