// Throughput of an environment against the raw physics of the same compiled model.
#pragma once

#include <cstdint>

#include "sinew/sim/env_factory.h"

namespace sinew {

struct EnvBenchResult {
  double env_steps_per_second = 0;   // env.step() with random actions, resets included
  double raw_steps_per_second = 0;   // control-step equivalents: frame_skip plain mj_step calls
  double raw_mj_steps_per_second = 0;  // plain mj_step calls per second
  double ratio = 0;                  // env / raw (1.0 = the env adds nothing over physics)
  double realtime_factor = 0;        // simulated seconds per wall second through the env
  int64_t env_steps = 0;
  int64_t raw_mj_steps = 0;
};

// Runs each loop for `seconds` on the calling thread (one core). Deterministic given `seed`.
EnvBenchResult bench_env(const EnvFactory& factory, double seconds, uint64_t seed);

}  // namespace sinew
