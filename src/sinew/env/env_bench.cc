#include "sinew/env/env_bench.h"

#include <chrono>
#include <random>

namespace sinew {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_s(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

EnvBenchResult bench_env(const EnvMaker& factory, double seconds, uint64_t seed) {
  EnvBenchResult result;
  const EnvSpec& spec = factory.spec();
  std::mt19937_64 rng(seed);

  // a pool of random actions, drawn before timing
  constexpr int kActions = 1024;
  std::vector<float> actions(static_cast<std::size_t>(kActions) * spec.action_dim);
  for (int i = 0; i < kActions; ++i) {
    for (int j = 0; j < spec.action_dim; ++j) {
      float& a = actions[static_cast<std::size_t>(i) * spec.action_dim + j];
      if (spec.is_discrete()) {
        a = static_cast<float>(std::uniform_int_distribution<int>(0, spec.num_actions - 1)(rng));
      } else {
        a = std::uniform_real_distribution<float>(spec.action_low[j], spec.action_high[j])(rng);
      }
    }
  }

  // through the env interface
  auto env = factory.make();
  std::vector<float> obs(spec.obs_dim);
  env->reset(seed, obs);
  auto start = Clock::now();
  int64_t steps = 0;
  uint64_t episode = 0;
  while (true) {
    for (int k = 0; k < 256; ++k, ++steps) {
      std::span<const float> action(&actions[(steps % kActions) * spec.action_dim],
                                    spec.action_dim);
      if (env->step(action, obs).done()) env->reset(seed + ++episode, obs);
    }
    if (elapsed_s(start) >= seconds) break;
  }
  double env_seconds = elapsed_s(start);
  result.env_steps = steps;
  result.env_steps_per_second = steps / env_seconds;

  result.realtime_factor = result.env_steps_per_second * spec.control_dt_s;

  // the world's own dynamics alone
  start = Clock::now();
  const int64_t mj_steps = factory.run_raw_dynamics(seconds, seed);
  if (mj_steps == 0) return result;
  const int frame_skip = factory.substeps_per_step();
  double raw_seconds = elapsed_s(start);
  result.raw_mj_steps = mj_steps;
  result.raw_mj_steps_per_second = mj_steps / raw_seconds;
  result.raw_steps_per_second = result.raw_mj_steps_per_second / frame_skip;
  result.ratio = result.env_steps_per_second / result.raw_steps_per_second;
  return result;
}

}  // namespace sinew
