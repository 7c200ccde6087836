#include "sinew/sim/env_factory.h"

#include "sinew/core/errors.h"
#include "sinew/sim/pendulum_env.h"

namespace sinew {

std::vector<std::pair<std::string, std::string>> EnvFactory::available() {
  return {
      {"pendulum", "torque-limited pendulum swing-up and balance (MuJoCo, 3 obs, 1 action)"},
  };
}

EnvFactory::EnvFactory(const Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, description] : available()) names.push_back(name);
  name_ = config.get_choice("env.name", names);
  model_ = MujocoModel::load(resolve_model_path(config.get_string("env.model")));
  frame_skip_ = static_cast<int>(config.get_int("env.frame_skip", 1, 1000));
  max_episode_steps_ = static_cast<int>(config.get_int("env.max_episode_steps", 1, 100000000));
  if (name_ == "pendulum") {
    action_bins_ = static_cast<int>(config.get_int("env.action_bins", 0, 1000));
    if (action_bins_ == 1) {
      throw ConfigError("env.action_bins", "'env.action_bins' must be 0 (continuous) or >= 2");
    }
  }
  spec_ = make()->spec();
}

std::unique_ptr<Env> EnvFactory::make() const {
  PendulumEnv::Options options;
  options.frame_skip = frame_skip_;
  options.max_episode_steps = max_episode_steps_;
  options.action_bins = action_bins_;
  return std::make_unique<PendulumEnv>(model_, options);
}

}  // namespace sinew
