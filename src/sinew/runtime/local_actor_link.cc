#include "sinew/runtime/local_actor_link.h"

namespace sinew {

LocalActorLink::LocalActorLink(int actor, RunControl& control, RunCounters& counters,
                               int64_t total_steps, SyncGate* gate)
    : actor_(actor),
      control_(control),
      counters_(counters),
      total_steps_(total_steps),
      gate_(gate) {}

bool LocalActorLink::boundary(const std::function<void()>& on_park,
                              const std::function<void()>& on_resume) {
  return control_.actor_boundary(actor_, on_park, on_resume);
}

bool LocalActorLink::claim(int64_t steps) {
  if (total_steps_ <= 0) return true;
  if (counters_.steps_claimed.fetch_add(steps) < total_steps_) return true;
  counters_.steps_claimed.fetch_sub(steps);
  return false;
}

bool LocalActorLink::admit(int64_t steps, std::chrono::milliseconds timeout) {
  return gate_ == nullptr || gate_->acquire(steps, timeout);
}

void LocalActorLink::sent(int64_t steps, int64_t episodes) {
  counters_.env_steps.fetch_add(steps);
  counters_.episodes.fetch_add(episodes);
}

}  // namespace sinew
