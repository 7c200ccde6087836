// The learner thread: takes trajectory blocks from a BlockSource (the actors' queue in one
// process) and hands each model of the agent (agent_spec.h) its slice: the policies (PPO
// batches a block, MPO replays it) and the models trained beside them (a dynamics model).
// A block older than a trainer's max_policy_lag versions of its policy is not given to it, and
// is counted as dropped when no trainer took it. The observation statistics are updated
// before the trainers see a block; then every trainer may add to the rewards the others learn
// from (a curiosity bonus), then each consumes its slice. When a policy's parameters change
// the learner publishes that policy's next version to its ParamSink. Between blocks it parks
// when a pause is requested, after draining the queue, so the whole run is at a consistent
// point.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sinew/algo/algorithm.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/prefixed_metrics.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/sync_gate.h"
#include "sinew/transport/block_slice.h"
#include "sinew/transport/block_source.h"
#include "sinew/transport/param_sink.h"

namespace sinew {

struct LearnerContext {
  BlockSource* blocks = nullptr;  // where blocks come from
  MetricsBus* metrics = nullptr;
  RunControl* control = nullptr;
  int threads = 1;           // intra-op threads for the update
  SyncGate* gate = nullptr;  // synchronous acting: told after each block; nullptr: asynchronous
};

// One model the learner drives. Pointers outlive the learner.
struct LearnerModel {
  // Its metrics go under train/<name>/...; "" (a run of one policy): train/... as always.
  std::string name;
  Trainer* trainer = nullptr;
  Algorithm* policy = nullptr;  // a policy: its parameters are published; nullptr otherwise
  ParamSink* params = nullptr;  // where a policy's snapshots go
  // Its part of a block; slice.policy is the policy's column (policies come first, in order).
  // For a model that does not act, the lag is measured against policy column 0.
  BlockSlice slice;
  bool whole = false;  // reads the whole observation and action (a run of one policy)
};

class Learner {
 public:
  // Drives `models` in this order; the first is a policy. Throws std::invalid_argument when
  // `models` is empty or the first does not act.
  Learner(std::vector<LearnerModel> models, RunningNormalizer normalizer, LearnerContext context);

  // Thread body: runs until the run stops or the source is closed and drained. Exceptions from
  // the trainers propagate to the caller.
  void run();

  // Publishes every policy's parameters, with its part of the statistics, as its version.
  void publish();

  // Versions of the first policy published so far (its updates); safe from any thread.
  int64_t version() const { return versions_[0].load(); }
  // Versions of policy column `policy`; safe from any thread.
  int64_t version(int policy) const;
  // Blocks that no trainer took because they were too old; safe from any thread.
  int64_t dropped_blocks() const { return dropped_blocks_.load(); }
  // Only while parked or not running.
  const RunningNormalizer& normalizer() const { return normalizer_; }
  // Replaces the statistics (a run started from another policy's); before run() only.
  // Loaded statistics; the values the env holds at a fixed normalization stay held.
  void set_normalizer(RunningNormalizer normalizer);

  // Everything but the trainers (which save themselves): versions, counters, statistics. Only
  // while parked or not running. load_state() throws UserError naming `source` on bad bytes.
  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

 private:
  // The statistics of model `m`'s observation slice.
  RunningNormalizer normalizer_for(const LearnerModel& m) const;
  void publish(std::size_t model);

  std::vector<LearnerModel> models_;                      // (not empty) [0] a policy
  std::vector<std::unique_ptr<PrefixedMetrics>> scopes_;  // (models) each model's metrics
  RunningNormalizer normalizer_;  // the whole observation's; learner thread only (or parked)
  LearnerContext ctx_;
  std::vector<std::size_t> takers_;  // scratch: the models the current block is for
  std::unique_ptr<std::atomic<int64_t>[]> versions_;  // (policies)
  int num_policies_ = 0;
  std::atomic<int64_t> dropped_blocks_{0};
};

}  // namespace sinew
