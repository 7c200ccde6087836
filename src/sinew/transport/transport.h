// How a run's actors and its learner exchange what they share: trajectory blocks from the
// actors to the learner, each policy's parameters from the learner to the actors. Chosen by
// `runtime.transport` (transport_registry.h): `local` (one process) is the one today; a
// transport between machines adds its files and a registry line, and nothing in runtime/
// changes.
//
// Threads: every method may be called from any thread; what it returns is thread-safe.
#pragma once

#include "sinew/transport/block_sink.h"
#include "sinew/transport/block_source.h"
#include "sinew/transport/local_param_store.h"
#include "sinew/transport/param_source.h"

namespace sinew {

class Transport {
 public:
  virtual ~Transport() = default;

  // Where the actors send their blocks, and where the learner receives them.
  virtual BlockSink& blocks_out() = 0;
  virtual BlockSource& blocks_in() = 0;

  // What the actors read a policy's parameters from, given the store the learner publishes
  // that policy's versions to (the agent's, algo/agent/agent.h). The reference lives as long
  // as the transport and `published`.
  virtual const ParamSource& params_for_actors(const LocalParamStore& published) = 0;

  // Ends the exchange: sends fail from now on, receives drain what was sent, then end.
  virtual void close() = 0;
};

}  // namespace sinew
