// What an actor needs from the run it acts for, wherever that run is: the pause and stop
// protocol, heartbeats for the watchdog, the run's step budget, the synchronous-acting gate, and
// the booking of what it sent. The actor sees the run only through this (and through its
// BlockSink and ParamSources), so an actor on another machine is an actor with a link over the
// wire. In one process the link is LocalActorLink, over the run's RunControl, RunCounters and
// SyncGate.
//
// Threads: each actor has its own link and calls it from its own thread only.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

#include "sinew/runtime/activity.h"

namespace sinew {

class ActorLink {
 public:
  virtual ~ActorLink() = default;

  // At a block boundary: parks while the run pauses, running `on_park` before the actor counts
  // as parked and `on_resume` after the release (not after a stop). False once the run stops.
  virtual bool boundary(const std::function<void()>& on_park,
                        const std::function<void()>& on_resume) = 0;
  // The run stops: the actor returns at its next chance.
  virtual bool stopping() const = 0;
  // Tells the watchdog the actor is alive and what it is doing.
  virtual void beat(Activity activity) = 0;
  // Claims `steps` of the run's budget (trainer.total_steps) for a block about to be collected.
  // False, with nothing claimed, once the budget is spent: the run ends at the first whole block
  // at or after its total.
  virtual bool claim(int64_t steps) = 0;
  // Synchronous acting: true once the learner lets a block of `steps` start; false when
  // `timeout` passed first (call again). Without synchronous acting: true at once.
  virtual bool admit(int64_t steps, std::chrono::milliseconds timeout) = 0;
  // A block reached the learner's side: its env steps and the episodes that ended in it.
  virtual void sent(int64_t steps, int64_t episodes) = 0;
  // The env steps every actor of the run has sent so far (the clock of exploration schedules).
  virtual int64_t run_steps() const = 0;
};

}  // namespace sinew
