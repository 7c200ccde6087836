// Whole-system checkpoints of a run and restoring one (layout in DESIGN.md):
//   models/, trainers/, data/...            a run of one policy: its algorithm's files
//                                           (algo/ppo/ppo_algorithm.h, algo/mpo/mpo_algorithm.h)
//   agent/<name>/models/, ...               an agent of several models (agent.models): each
//                                           model's files (algo/agent/agent.h)
//   data/learner_state.bin                  version, counters, obs statistics
//   interaction/agent/obs_normalizer.json   obs statistics (read by eval)
//   interaction/environment/actor_<i>.bin   envs mid-episode, observations, action noise stream,
//                                           DEP controllers and switching
//   config.yaml                             the resolved config
// with the counters, the run clock, why it was written, which actors it holds and where the
// run's policies started from (init.from) in its manifest.
//
// Threads: save() and restore() are for the control thread, with the workers they touch parked
// or not started; last() may be called from any thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sinew/algo/agent/agent.h"
#include "sinew/core/config.h"
#include "sinew/core/logger.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/run_dir.h"
#include "sinew/runtime/run_clock.h"
#include "sinew/runtime/run_counters.h"
#include "sinew/runtime/run_workers.h"

namespace sinew {

class RunCheckpointer {
 public:
  // Everything here outlives the checkpointer. `keep_last`: checkpoint.keep_last.
  RunCheckpointer(const Config& config, const RunDir& run_dir, int keep_last, Agent& agent,
                  RunWorkers& workers, RunCounters& counters, RunClock& clock, MetricsBus& metrics,
                  Logger& log);

  // Where the run's policies started from (the manifests' "parent"); null: from scratch.
  void set_parent(nlohmann::json parent) { parent_ = std::move(parent); }

  // Writes a checkpoint of the agent, the learner and the actors whose `actors_saved` entry is
  // true (all parked), with `reason` in its manifest, and prunes old ones. Throws on failure
  // (e.g. a full disk), leaving the earlier checkpoints as they were.
  std::filesystem::path save(const std::string& reason, const std::vector<bool>& actors_saved);

  // Loads `checkpoint` (its `manifest` already verified by the caller) into the agent, the
  // learner and the actors (an actor without saved state starts new episodes), and sets the
  // counters and the clock's base; the learner publishes what it loaded.
  void restore(const std::filesystem::path& checkpoint, const nlohmann::json& manifest);

  struct Last {
    std::string path;  // "" when the run has none yet
    int64_t step = -1;
  };
  // The newest checkpoint this run wrote or resumed from.
  Last last() const;

 private:
  const Config& config_;
  const RunDir& run_dir_;
  const int keep_last_;
  Agent& agent_;
  RunWorkers& workers_;
  RunCounters& counters_;
  RunClock& clock_;
  MetricsBus& metrics_;
  Logger& log_;
  nlohmann::json parent_;  // control thread

  mutable std::mutex mutex_;
  Last last_;  // GUARDED_BY(mutex_)
};

}  // namespace sinew
