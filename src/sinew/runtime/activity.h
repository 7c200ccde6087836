// What a worker of a run (an actor or the learner) is doing, as its heartbeats report it to the
// watchdog and to `sinew ctl status`.
#pragma once

namespace sinew {

enum class Activity : int {
  kStarting = 0,
  kCollecting,      // actor: stepping envs and running inference
  kSending,         // actor: waiting for room in the queue
  kWaitingForData,  // learner: waiting for blocks
  kUpdating,        // learner: a PPO update
  kParked,          // paused at a consistent point
  kStalled,         // fault injection (debug.stall_actor)
  kIdle,            // actor: the run's steps are all claimed; waits for the stop
  kAwaitingUpdate,  // actor: synchronous acting; waits for the learner's next update
  kFinished,
};
// A phrase for logs and status ("waiting for room in the queue").
const char* activity_name(Activity a);

}  // namespace sinew
