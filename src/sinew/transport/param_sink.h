// Where the learner publishes the acting policy's parameters. In one process: the snapshot store
// the actors read (LocalParamStore); the seam where a network transport (parameters sent to
// remote actors) or a device copy plugs in.
#pragma once

#include <memory>

#include "sinew/transport/param_snapshot.h"

namespace sinew {

class ParamSink {
 public:
  virtual ~ParamSink() = default;

  // Makes `snapshot` the newest. Must not wait for readers.
  virtual void publish(std::shared_ptr<const ParamSnapshot> snapshot) = 0;
};

}  // namespace sinew
