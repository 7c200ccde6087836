// The learner thread: takes trajectory blocks from a BlockSource (the actors' queue in one
// process) and hands each to the algorithms
// it drives (one today: PPO batches a block, MPO replays it; later also an image VAE or a
// dynamics model beside the policy, each with its own data). A block older than an algorithm's
// max_policy_lag versions is not given to it, and is counted as dropped when no algorithm took
// it. The observation statistics are updated before the algorithms see a block. The first
// algorithm trains the acting policy: when it changes its parameters the learner publishes a
// new parameter snapshot with the next version, to a ParamSink. Between blocks it parks when a
// pause is requested, after draining the queue, so the whole run is at a consistent point.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "sinew/algo/algorithm.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/sync_gate.h"
#include "sinew/transport/block_source.h"
#include "sinew/transport/param_sink.h"

namespace sinew {

struct LearnerContext {
  BlockSource* blocks = nullptr;  // where blocks come from
  ParamSink* params = nullptr;    // where the acting policy's parameters go
  MetricsBus* metrics = nullptr;
  RunControl* control = nullptr;
  int threads = 1;           // intra-op threads for the update
  SyncGate* gate = nullptr;  // synchronous acting: told after each block; nullptr: asynchronous
};

class Learner {
 public:
  // Drives `algorithms` in this order; the first trains the acting policy. The algorithms and
  // the context's pointers must outlive the learner. Throws std::invalid_argument when
  // `algorithms` is empty.
  Learner(std::vector<Algorithm*> algorithms, RunningNormalizer normalizer, LearnerContext context);

  // Thread body: runs until the run stops or the source is closed and drained. Exceptions from
  // the algorithms propagate to the caller.
  void run();

  // Publishes the acting policy's parameters and the statistics as version `version()`.
  void publish();

  // Snapshots published so far (updates of the acting policy); safe from any thread.
  int64_t version() const { return version_.load(); }
  // Blocks that no algorithm took because they were too old; safe from any thread.
  int64_t dropped_blocks() const { return dropped_blocks_.load(); }
  // Only while parked or not running.
  const RunningNormalizer& normalizer() const { return normalizer_; }
  // Replaces the statistics (a run started from another policy's); before run() only.
  void set_normalizer(RunningNormalizer normalizer) { normalizer_ = std::move(normalizer); }

  // Everything but the algorithms (which save themselves): version, counters, statistics. Only
  // while parked or not running. load_state() throws UserError naming `source` on bad bytes.
  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

 private:
  std::vector<Algorithm*> algorithms_;  // (not empty) [0] trains the acting policy
  RunningNormalizer normalizer_;        // learner thread only (or while parked)
  LearnerContext ctx_;
  std::vector<Algorithm*> takers_;  // scratch: the algorithms the current block is for
  std::atomic<int64_t> version_{0};
  std::atomic<int64_t> dropped_blocks_{0};
};

}  // namespace sinew
