// An actor's link to a run in the same process: pausing and heartbeats through the run's
// RunControl, the step budget and counts in its RunCounters, synchronous acting through its
// SyncGate.
#pragma once

#include <cstdint>

#include "sinew/runtime/actor_link.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/run_counters.h"
#include "sinew/runtime/sync_gate.h"

namespace sinew {

class LocalActorLink final : public ActorLink {
 public:
  // Actor `actor` of `control`; `total_steps` is the run's budget (<= 0: no limit); `gate` is
  // null without synchronous acting. The references outlive the link.
  LocalActorLink(int actor, RunControl& control, RunCounters& counters, int64_t total_steps,
                 SyncGate* gate);

  bool boundary(const std::function<void()>& on_park,
                const std::function<void()>& on_resume) override;
  bool stopping() const override { return control_.stopping(); }
  void beat(Activity activity) override { control_.beat(actor_, activity); }
  bool claim(int64_t steps) override;
  bool admit(int64_t steps, std::chrono::milliseconds timeout) override;
  void sent(int64_t steps, int64_t episodes) override;
  int64_t run_steps() const override { return counters_.env_steps.load(); }

 private:
  const int actor_;
  RunControl& control_;
  RunCounters& counters_;
  const int64_t total_steps_;
  SyncGate* const gate_;
};

}  // namespace sinew
