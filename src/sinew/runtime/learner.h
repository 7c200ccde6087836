// The learner thread: takes trajectory blocks from the queue, drops those older than the
// algorithm's max_policy_lag versions, updates the observation statistics, hands each block to
// the algorithm (PPO batches it, MPO replays it) and publishes a new parameter snapshot whenever
// the algorithm changed the parameters. Between blocks it parks
// when a pause is requested, after draining the queue, so the whole run is at a consistent
// point.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "sinew/core/metrics_bus.h"
#include "sinew/nn/running_normalizer.h"
#include "sinew/runtime/algorithm.h"
#include "sinew/runtime/bounded_queue.h"
#include "sinew/runtime/param_snapshot.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/snapshot_store.h"

namespace sinew {

struct LearnerContext {
  BoundedQueue<TrajectoryBlock>* queue = nullptr;
  SnapshotStore<ParamSnapshot>* snapshots = nullptr;
  MetricsBus* metrics = nullptr;
  RunControl* control = nullptr;
  int threads = 1;  // intra-op threads for the update
};

class Learner {
 public:
  Learner(Algorithm* algorithm, RunningNormalizer normalizer, LearnerContext context);

  // Thread body: runs until the run stops or the queue is closed and drained.
  void run();

  // Publishes the current parameters and statistics as version `version()`.
  void publish();

  int64_t version() const { return version_.load(); }
  int64_t dropped_blocks() const { return dropped_blocks_.load(); }
  const RunningNormalizer& normalizer() const { return normalizer_; }

  // Everything but the algorithm (which saves itself): version, counters, statistics. Only
  // while parked or not running.
  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

 private:
  Algorithm* algorithm_;
  RunningNormalizer normalizer_;
  LearnerContext ctx_;
  std::atomic<int64_t> version_{0};
  std::atomic<int64_t> dropped_blocks_{0};
};

}  // namespace sinew
