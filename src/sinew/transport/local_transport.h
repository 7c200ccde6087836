// runtime.transport=local: actors and learner in one process. Blocks go through a bounded queue
// of runtime.queue_capacity blocks (a full queue makes actors wait: backpressure); actors read
// parameters straight from the learner's snapshot stores (a pointer swap, never a copy).
#pragma once

#include <cstddef>

#include "sinew/transport/local_block_queue.h"
#include "sinew/transport/transport.h"

namespace sinew {

class LocalTransport final : public Transport {
 public:
  explicit LocalTransport(std::size_t queue_capacity) : queue_(queue_capacity) {}

  BlockSink& blocks_out() override { return queue_; }
  BlockSource& blocks_in() override { return queue_; }
  const ParamSource& params_for_actors(const LocalParamStore& published) override {
    return published;
  }
  void close() override { queue_.close(); }

 private:
  LocalBlockQueue queue_;
};

}  // namespace sinew
