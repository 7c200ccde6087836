// Throughput of an environment against the raw dynamics of the same world (MuJoCo: plain
// mj_step on the same compiled model), measured in the same run.
#pragma once

#include <cstdint>

#include "sinew/env/env_maker.h"

namespace sinew {

struct EnvBenchResult {
  double env_steps_per_second = 0;     // env.step() with random actions, resets included
  double raw_steps_per_second = 0;     // control-step equivalents: frame_skip plain mj_step calls
  double raw_mj_steps_per_second = 0;  // plain mj_step calls per second
  double ratio = 0;                    // env / raw (1.0 = the env adds nothing over physics)
  double realtime_factor = 0;          // simulated seconds per wall second through the env
  int64_t env_steps = 0;
  int64_t raw_mj_steps = 0;
};

// Runs each loop for `seconds` on the calling thread (one core). Deterministic given `seed`.
// For a world without a raw loop (EnvMaker::run_raw_dynamics returns 0) the raw figures and
// the ratio stay 0.
EnvBenchResult bench_env(const EnvMaker& envs, double seconds, uint64_t seed);

}  // namespace sinew
