// Blocks from the actors to the learner inside one process: a bounded queue (backpressure: a
// full queue makes actors wait) seen as a BlockSink by the actors and a BlockSource by the
// learner. Thread-safe.
#pragma once

#include <cstddef>

#include "sinew/transport/block_sink.h"
#include "sinew/transport/block_source.h"
#include "sinew/transport/bounded_queue.h"

namespace sinew {

class LocalBlockQueue final : public BlockSink, public BlockSource {
 public:
  explicit LocalBlockQueue(std::size_t capacity) : queue_(capacity) {}

  bool send(TrajectoryBlock& block, std::chrono::milliseconds timeout) override {
    return queue_.push(block, timeout);
  }
  std::optional<TrajectoryBlock> receive(std::chrono::milliseconds timeout) override {
    return queue_.pop(timeout);
  }
  bool closed() const override { return queue_.closed(); }
  std::size_t waiting() const override { return queue_.size(); }

  // Wakes every waiter: sends fail at once, receives drain what is left.
  void close() { queue_.close(); }

 private:
  BoundedQueue<TrajectoryBlock> queue_;
};

}  // namespace sinew
