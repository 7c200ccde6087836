#include "sinew/env/env_bench.h"

#include <chrono>
#include <random>

#include "sinew/core/interleaved_timing.h"
#include "sinew/env/closing_env.h"

namespace sinew {
namespace {

constexpr double kSliceSeconds = 0.25;  // env and raw dynamics alternate in turns of this length

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

  // through the env interface, and the world's own dynamics alone, in alternating slices so
  // that both see the same machine
  ClosingEnv env(factory.make());
  std::vector<float> obs(spec.obs_dim);
  env->reset(seed, obs);
  int64_t steps = 0, mj_steps = 0;
  uint64_t episode = 0;
  auto env_unit = [&] {
    for (int k = 0; k < 256; ++k, ++steps) {
      std::span<const float> action(&actions[(steps % kActions) * spec.action_dim],
                                    spec.action_dim);
      if (env->step(action, obs).done()) env->reset(seed + ++episode, obs);
    }
  };
  if (factory.run_raw_dynamics(0.0, seed) == 0) {  // a world without a raw loop: the env alone
    const auto start = std::chrono::steady_clock::now();
    double spent = 0;
    do {
      env_unit();
      spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (spent < seconds);
    result.env_steps = steps;
    result.env_steps_per_second = static_cast<double>(steps) / spent;
    result.realtime_factor = result.env_steps_per_second * spec.control_dt_s;
    return result;
  }
  auto raw_unit = [&] { mj_steps += factory.run_raw_dynamics(kSliceSeconds, seed + mj_steps); };
  const InterleavedTimes t = time_interleaved(seconds, kSliceSeconds, env_unit, raw_unit);
  result.env_steps = steps;
  result.env_steps_per_second = static_cast<double>(steps) / t.a_s;
  result.realtime_factor = result.env_steps_per_second * spec.control_dt_s;
  const int frame_skip = factory.substeps_per_step();
  result.raw_mj_steps = mj_steps;
  result.raw_mj_steps_per_second = static_cast<double>(mj_steps) / t.b_s;
  result.raw_steps_per_second = result.raw_mj_steps_per_second / frame_skip;
  result.ratio = result.env_steps_per_second / result.raw_steps_per_second;
  return result;
}

}  // namespace sinew
