// One training run end to end: run directory, env factory, agent, actor threads, learner
// thread, metrics, progress line, checkpoints, and shutdown on completion, SIGINT or SIGTERM.
//
// Threads: `runtime.actors` actors (one intra-op thread each), one learner
// (`runtime.learner_threads` intra-op threads) and the calling thread, which controls the run
// (signals, progress, metrics flushes) and sleeps otherwise.
#pragma once

#include <filesystem>

#include "sinew/core/config.h"
#include "sinew/core/logger.h"

namespace sinew {

struct TrainingSummary {
  std::filesystem::path run_dir;
  std::filesystem::path final_checkpoint;
  int64_t env_steps = 0;
  int64_t updates = 0;
  double wall_seconds = 0;
  bool interrupted = false;  // stopped by a signal before total_steps
};

// Validates the config (throws ConfigError / UserError before anything starts), runs to
// trainer.total_steps or a stop signal, and writes a final checkpoint either way.
TrainingSummary train(const Config& config, Logger& log);

}  // namespace sinew
