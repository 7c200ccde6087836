// Synchronous acting (runtime.synchronous): actors collect only the steps the acting policy's
// next update still needs, all with the newest parameters, and then wait for that update, as a
// synchronous PPO does. Without it, actors run ahead of the learner (the asynchronous default)
// and their data is one or more parameter versions old.
//
// The learner tells the gate, after each block it took, how many env steps the policy needs
// before its next update (Algorithm::steps_until_update); an actor may start a block while the
// steps of the blocks started but not yet taken are fewer than that plus `lead_steps`
// (runtime.lead_steps). With a lead of 0 every block is made by the parameters that learn from
// it (lag 0) and acting waits for learning; with a lead of one batch the actors collect the next
// batch while the learner updates on this one, and data is at most one version old (lag <= 1)
// whatever the queue holds. The learner publishes new
// parameters before it reports the block that caused them, so a block that passes the gate
// after an update starts with the new version. Every block that passes is collected and taken,
// so waiting actors are always released by the update their peers' blocks complete. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sinew {

class SyncGate {
 public:
  explicit SyncGate(int64_t lead_steps = 0) : lead_(lead_steps) {}

  // Actor: waits up to `wait` until a block of `steps` may start, and counts it as started.
  // False when the wait ended first (the caller beats its heartbeat, checks for a stop and
  // calls again).
  bool acquire(int64_t steps, std::chrono::milliseconds wait);

  // Learner: a block of `steps` started at the gate was taken or dropped (0 for none), and the
  // acting policy now needs `needed` more steps before its next update.
  void taken(int64_t steps, int64_t needed);

  // Steps of blocks started and not yet taken.
  int64_t in_flight() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  const int64_t lead_;     // steps allowed beyond what the next update needs
  int64_t in_flight_ = 0;  // guarded by mutex_
  int64_t needed_ = 0;     // guarded by mutex_; 0 until the learner starts
};

}  // namespace sinew
