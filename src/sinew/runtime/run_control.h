// Coordinates the threads of a run: pausing at consistent points (actors at a block boundary,
// the learner between updates with the queue drained), stopping, and heartbeats for the
// watchdog.
//
// Protocol: the controller calls request_pause(); each actor parks in actor_boundary() before
// starting its next block; the learner keeps draining the queue until all actors are parked
// and the queue is empty, then parks in learner_boundary(). wait_until_parked() returns once
// all have parked; the run's state is then consistent and nothing changes it until release().
// Parked threads wait on a condition variable (no spinning) and keep their heartbeats fresh.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sinew/runtime/activity.h"

namespace sinew {

class RunControl {
 public:
  // Workers are the actors 0..num_actors-1 and the learner (index num_actors).
  explicit RunControl(int num_actors);

  // --- controller ---
  // With `learner_only`, the learner parks at its next boundary without waiting for the actors
  // (used when an actor is stuck).
  void request_pause(bool learner_only = false);
  // Waits until every actor and the learner are parked. False on timeout or stop.
  bool wait_until_parked(std::chrono::milliseconds timeout);
  bool wait_until_learner_parked(std::chrono::milliseconds timeout);
  // Which actors are parked now.
  std::vector<bool> parked_actors() const;
  // Ends a pause; parked workers continue.
  void release();
  // Stops the run: parked and future boundary calls return false. Irreversible.
  void stop();

  bool pause_requested() const { return pause_requested_.load(); }
  bool stopping() const { return stopping_.load(); }
  int learner_index() const { return num_actors_; }

  // --- workers ---
  // Actor `id` at a block boundary: parks while a pause is requested. False when stopping.
  // When it parks, `on_park` runs first (before the actor counts as parked) and `on_resume`
  // after the pause unless the run stops (the actor pauses and resumes its envs).
  bool actor_boundary(int id, const std::function<void()>& on_park = {},
                      const std::function<void()>& on_resume = {});
  // True when the learner should park now: a pause is requested and every actor is parked
  // (or the pause is learner-only). The learner also drains the queue first.
  bool all_actors_parked() const;
  bool learner_only_pause() const { return learner_only_.load(); }
  // The learner between updates: parks while a pause is requested. False when stopping.
  bool learner_boundary();

  // --- heartbeats ---
  void beat(int worker, Activity activity);
  struct WorkerStatus {
    std::string name;  // "actor 0", "learner"
    Activity activity;
    double silent_s;  // seconds since the last heartbeat
  };
  std::vector<WorkerStatus> workers() const;

 private:
  bool park(int worker, const std::function<void()>& on_park = {},
            const std::function<void()>& on_resume = {});

  const int num_actors_;
  std::atomic<bool> pause_requested_{false};
  std::atomic<bool> stopping_{false};
  std::atomic<bool> learner_only_{false};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  int parked_actors_ = 0;
  std::vector<bool> actor_parked_;
  bool learner_parked_ = false;
  struct Heartbeat {
    std::atomic<int64_t> last_ns{0};
    std::atomic<int> activity{0};
  };
  std::vector<Heartbeat> beats_;
};

}  // namespace sinew
