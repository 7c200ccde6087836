// Throughput of the learner of algo.name against raw LibTorch work on the same networks
// (`sinew bench learner`).
#pragma once

#include "sinew/algo/learner_bench_result.h"
#include "sinew/core/config.h"

namespace sinew {

// Builds the configured networks and options for the configured env, then times each loop for
// about `seconds` on synthetic data with `runtime.learner_threads` threads, by the algorithm
// algo.name selects. For MPO the raw loop is the same networks' work per step: the target
// critic on K x B sampled actions twice, critic and policy forward + backward + Adam on B.
// Throws ConfigError on bad keys.
LearnerBenchResult bench_learner(const Config& config, double seconds);

}  // namespace sinew
