// The counts a run keeps across its actors and checkpoints: env steps delivered to the learner,
// steps claimed by blocks being collected (so a run ends at the first whole block at or after
// trainer.total_steps), and episodes finished. Actors add to them; the checkpointer saves and
// restores them; progress and /api/status read them. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>

namespace sinew {

struct RunCounters {
  std::atomic<int64_t> env_steps{0};
  std::atomic<int64_t> steps_claimed{0};
  std::atomic<int64_t> episodes{0};
};

}  // namespace sinew
