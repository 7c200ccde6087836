// What a learner benchmark reports: the throughput of an algorithm's update against raw LibTorch
// work on the same networks. Each algorithm times itself (its AlgorithmEntry::bench) and fills
// this; runtime/learner_bench.h builds the networks and runs it.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace sinew {

struct LearnerBenchResult {
  std::string algo;                       // algo.name, e.g. "ppo" or "mpo"
  double trainer_samples_per_second = 0;  // PpoTrainer::update (GAE, normalization, epochs) or
                                          // MpoTrainer::step (batch_size samples each)
  double raw_samples_per_second = 0;      // bare forward + backward + Adam on the same minibatches
  double ratio = 0;                       // trainer / raw (1.0 = no overhead over LibTorch)
  double updates_per_second = 0;          // PPO: full updates (algo.batch_steps samples each);
                                          // MPO: gradient steps
  // MPO: the env steps/s the learner can keep up with at the configured replay ratio
  // (algo.steps_between_batches env steps per algo.batch_iterations gradient steps)
  double env_steps_per_second_cap = 0;
  int64_t minibatch_size = 0;  // PPO minibatch or MPO batch
  int64_t batch_steps = 0;     // env steps per update; 0 when the algorithm has none
  int threads = 0;
  std::string text;                                      // the human-readable report, one line each
  nlohmann::json extra_json = nlohmann::json::object();  // the algorithm's own JSON fields
  nlohmann::json json;  // the whole JSON report (set by bench_learner)
};

}  // namespace sinew
