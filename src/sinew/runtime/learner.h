// The learner thread: takes trajectory blocks from the queue, drops those older than
// max_policy_lag versions, updates the observation statistics and the parameters once a batch
// is full, and publishes a new parameter snapshot after each update.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>

#include "sinew/algo/ppo_trainer.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/nn/running_normalizer.h"
#include "sinew/runtime/bounded_queue.h"
#include "sinew/runtime/param_snapshot.h"
#include "sinew/runtime/snapshot_store.h"

namespace sinew {

struct LearnerContext {
  BoundedQueue<TrajectoryBlock>* queue = nullptr;
  SnapshotStore<ParamSnapshot>* snapshots = nullptr;
  MetricsBus* metrics = nullptr;
  const std::atomic<bool>* stop = nullptr;
  int threads = 1;  // intra-op threads for the update
};

class Learner {
 public:
  Learner(PpoTrainer* trainer, RunningNormalizer normalizer, int64_t version,
          LearnerContext context);

  // Thread body: runs until `stop` is set or the queue is closed and drained.
  // `after_update` runs on the learner thread after each update and publish, with the state
  // mutex held (a consistent point for checkpoints).
  void run(const std::function<void(int64_t version)>& after_update);

  // Publishes the current parameters and statistics as version `version()`.
  void publish();

  int64_t version() const { return version_.load(); }
  int64_t dropped_blocks() const { return dropped_blocks_.load(); }
  const RunningNormalizer& normalizer() const { return normalizer_; }
  // Held during each update; hold it to read the trainer and normalizer consistently.
  std::mutex& state_mutex() { return state_mutex_; }

 private:
  void update();

  PpoTrainer* trainer_;
  RunningNormalizer normalizer_;
  LearnerContext ctx_;
  std::atomic<int64_t> version_;
  std::atomic<int64_t> dropped_blocks_{0};
  std::vector<TrajectoryBlock> batch_;
  int64_t batch_steps_ = 0;
  std::mutex state_mutex_;
};

}  // namespace sinew
