#include "sinew/sim/pendulum/pendulum_entry.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/sim/mujoco_env_maker.h"
#include "sinew/sim/pendulum/pendulum_env.h"

namespace sinew {

PendulumEnv::Options pendulum_options(const Config& config) {
  PendulumEnv::Options o;
  o.frame_skip = MujocoEnvMaker::frame_skip(config);
  o.max_episode_steps = MujocoEnvMaker::max_episode_steps(config);
  o.action_bins = static_cast<int>(config.get_int("env.action_bins", 0, 1000));
  if (o.action_bins == 1) {
    throw ConfigError("env.action_bins", "'env.action_bins' must be 0 (continuous) or >= 2");
  }
  return o;
}

EnvEntry pendulum_entry() {
  EnvEntry e;
  e.name = "pendulum";
  e.description = "torque-limited pendulum swing-up and balance (MuJoCo, 3 obs, 1 action)";
  e.make = [](const Config& config) -> std::unique_ptr<EnvMaker> {
    auto model = MujocoEnvMaker::load_model(config);
    const PendulumEnv::Options o = pendulum_options(config);
    return std::make_unique<MujocoEnvMaker>(
        model, o.frame_skip, [model, o] { return std::make_unique<PendulumEnv>(model, o); });
  };
  return e;
}

}  // namespace sinew
