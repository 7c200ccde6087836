// Throughput of the PPO learner against raw LibTorch work on the same network.
#pragma once

#include "sinew/core/config.h"

namespace sinew {

struct LearnerBenchResult {
  double trainer_samples_per_second = 0;  // PpoTrainer::update: GAE, normalization, epochs
  double raw_samples_per_second = 0;      // bare forward + backward + Adam on the same minibatches
  double ratio = 0;                       // trainer / raw (1.0 = no overhead over LibTorch)
  double updates_per_second = 0;          // full PPO updates (algo.batch_steps samples each)
  int64_t minibatch_size = 0;
  int64_t batch_steps = 0;
  int threads = 0;
};

// Builds the configured network and PPO options for the configured env, then times each loop
// for about `seconds` on synthetic trajectory blocks with `runtime.learner_threads` threads.
LearnerBenchResult bench_learner(const Config& config, double seconds);

}  // namespace sinew
