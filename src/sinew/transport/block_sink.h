// Where an actor's trajectory blocks go. In one process: the learner's queue (LocalBlockQueue);
// the seam where a network transport (e.g. a Redis stream to a remote learner) plugs in.
#pragma once

#include <chrono>

#include "sinew/transport/trajectory_block.h"

namespace sinew {

class BlockSink {
 public:
  virtual ~BlockSink() = default;

  // Sends `block`, waiting up to `timeout` for room. On success the block has been moved from;
  // false (no room in time, or closed) leaves it untouched so the caller can try again.
  virtual bool send(TrajectoryBlock& block, std::chrono::milliseconds timeout) = 0;

  // The receiving side is gone or shut down: no send() will succeed again.
  virtual bool closed() const = 0;
};

}  // namespace sinew
