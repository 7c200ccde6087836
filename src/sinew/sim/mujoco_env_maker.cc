#include "sinew/sim/mujoco_env_maker.h"

#include <fmt/format.h>

#include <chrono>
#include <random>
#include <vector>

#include "sinew/core/errors.h"

namespace sinew {

MujocoEnvMaker::MujocoEnvMaker(std::shared_ptr<const MujocoModel> model, int frame_skip,
                               std::function<std::unique_ptr<Env>()> make)
    : model_(std::move(model)), frame_skip_(frame_skip), make_(std::move(make)) {
  spec_ = make_()->spec();
}

int MujocoEnvMaker::frame_skip(const Config& config) {
  return static_cast<int>(config.get_int("env.frame_skip", 1, 1000));
}

int MujocoEnvMaker::max_episode_steps(const Config& config) {
  return static_cast<int>(config.get_int("env.max_episode_steps", 1, 100000000));
}

std::shared_ptr<const MujocoModel> MujocoEnvMaker::load_model(const Config& config) {
  try {
    return MujocoModel::load(resolve_model_path(config.get_string("env.model")));
  } catch (const ConfigError&) {
    throw;
  } catch (const UserError& e) {
    throw ConfigError("env.model", fmt::format("env.model: {}", e.what()));
  }
}

int64_t MujocoEnvMaker::run_raw_dynamics(double seconds, uint64_t seed) const {
  using Clock = std::chrono::steady_clock;
  std::mt19937_64 rng(seed);
  const mjModel* m = model_->get();
  MjDataPtr data = model_->make_data();
  mjData* d = data.get();
  // a pool of random controls, drawn before timing
  constexpr int kControls = 1024;
  std::vector<double> controls(static_cast<std::size_t>(kControls) * m->nu);
  for (auto& c : controls) c = std::uniform_real_distribution<double>(-1.0, 1.0)(rng);
  const auto start = Clock::now();
  const double episode_s = spec_.max_episode_steps * spec_.control_dt_s;
  int64_t mj_steps = 0;
  while (true) {
    for (int k = 0; k < 256; ++k) {
      for (int i = 0; i < m->nu; ++i) {
        d->ctrl[i] = controls[((mj_steps + k) % kControls) * m->nu + i];
      }
      for (int f = 0; f < frame_skip_; ++f) mj_step(m, d);
    }
    mj_steps += 256 * frame_skip_;
    if (d->time > episode_s) mj_resetData(m, d);
    if (std::chrono::duration<double>(Clock::now() - start).count() >= seconds) break;
  }
  return mj_steps;
}

}  // namespace sinew
