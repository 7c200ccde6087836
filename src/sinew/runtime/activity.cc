#include "sinew/runtime/activity.h"

namespace sinew {

const char* activity_name(Activity a) {
  switch (a) {
    case Activity::kStarting:
      return "starting";
    case Activity::kCollecting:
      return "stepping envs and running inference";
    case Activity::kSending:
      return "waiting for room in the queue";
    case Activity::kWaitingForData:
      return "waiting for trajectory blocks";
    case Activity::kUpdating:
      return "updating parameters";
    case Activity::kParked:
      return "paused";
    case Activity::kStalled:
      return "stalled on purpose (debug.stall_actor)";
    case Activity::kIdle:
      return "idle (the run's steps are all claimed)";
    case Activity::kAwaitingUpdate:
      return "waiting for the learner's update (synchronous)";
    case Activity::kFinished:
      return "finished";
  }
  return "?";
}

}  // namespace sinew
