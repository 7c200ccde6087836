// Where the learner's trajectory blocks come from. In one process: the actors' queue
// (LocalBlockQueue); the seam where a network transport (blocks from remote actors) plugs in.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "sinew/transport/trajectory_block.h"

namespace sinew {

class BlockSource {
 public:
  virtual ~BlockSource() = default;

  // The next block, waiting up to `timeout`; nullopt on timeout, or once the source is closed
  // and everything sent before has been received.
  virtual std::optional<TrajectoryBlock> receive(std::chrono::milliseconds timeout) = 0;

  // Closed: no block will arrive after those already waiting.
  virtual bool closed() const = 0;

  // Blocks sent and not yet received (a pause waits for this to reach 0).
  virtual std::size_t waiting() const = 0;
};

}  // namespace sinew
