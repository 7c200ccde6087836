// The threads of a run and what connects them: the learner, the actors, the transport between
// them (transport/transport.h), the synchronous gate (runtime.synchronous) and the RunControl
// they park and beat on.
// This is what a supervisor can pause, release, watch and stop; what it saves of them it gets
// from learner() and actor(i) while they are parked.
//
// Threads: construction, start(), join() and the destructor are for the control thread; the
// rest may be called from any thread. learner() and actor(i) state may be read or written only
// while that worker is parked or before start().
#pragma once

#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "sinew/core/logger.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/runtime/actor.h"
#include "sinew/runtime/learner.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/run_counters.h"
#include "sinew/runtime/run_options.h"
#include "sinew/runtime/sync_gate.h"
#include "sinew/transport/transport.h"

namespace sinew {

class RunWorkers {
 public:
  // `models` and `normalizer` (the env's observation_normalizer) make the learner; `actor_context`
  // says what the actors act with (its envs and policies; the policies' parameters as `transport`
  // gives them to actors); its blocks are filled in here. runtime.actors actors of
  // runtime.envs_per_actor envs each, each linked to this run (LocalActorLink): they park and beat
  // on its RunControl, claim trainer.total_steps and count what they sent in `counters`.
  RunWorkers(const RunOptions& opt, std::unique_ptr<Transport> transport,
             std::vector<LearnerModel> models, RunningNormalizer normalizer,
             ActorContext actor_context, RunCounters& counters, MetricsBus& metrics);
  // Stops and joins whatever still runs (after a run() that threw).
  ~RunWorkers();
  RunWorkers(const RunWorkers&) = delete;
  RunWorkers& operator=(const RunWorkers&) = delete;

  Learner& learner() { return *learner_; }
  const Learner& learner() const { return *learner_; }
  Actor& actor(std::size_t i) { return *actors_[i]; }
  std::size_t num_actors() const { return actors_.size(); }

  // Starts the learner's and the actors' threads. The first exception a worker throws is kept
  // (error()); a failed learner stops everything at once.
  void start();

  // Parks every worker at a consistent point: true once all are parked; false after
  // `timeout_s`, when the run stops, or when `give_up` (checked every 100 ms) says so. The
  // caller releases after either answer.
  bool pause(double timeout_s, const std::function<bool()>& give_up = {});
  // Parks the learner without waiting for the actors (one is stuck or failed), then waits
  // briefly for the actors that still respond. Which actors are parked, or nothing when the
  // learner did not park within 10 s.
  std::optional<std::vector<bool>> park_what_responds();
  void release();

  // Stops the workers (they return at their next boundary) and closes the transport.
  void stop();
  bool stopping() const { return control_.stopping(); }
  // Waits up to 10 s for every worker to finish and joins them; a worker that never finishes
  // (a stuck one) ends the process with exit code 1, since its thread cannot be joined.
  void join(Logger& log);

  // The first exception a worker threw (nullptr: none), and whether it was the learner's.
  std::exception_ptr error() const;
  bool learner_failed() const;
  // The RunControl index of the worker that failed (actors 0.., then the learner); -1: none.
  int failed_worker() const;
  int learner_index() const { return control_.learner_index(); }

  // Heartbeats, for a watchdog: each worker's activity and seconds since its last beat.
  std::vector<RunControl::WorkerStatus> heartbeats() const { return control_.workers(); }

 private:
  RunControl control_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<SyncGate> gate_;  // runtime.synchronous
  std::unique_ptr<Learner> learner_;
  std::vector<std::unique_ptr<Actor>> actors_;
  std::vector<std::thread> threads_;  // control thread

  mutable std::mutex error_mutex_;
  std::exception_ptr error_;  // GUARDED_BY(error_mutex_) the first exception a worker threw
  int failed_worker_ = -1;    // GUARDED_BY(error_mutex_) its RunControl index
};

}  // namespace sinew
