// Where actors get the acting policy's parameters from. In one process: the learner's snapshot
// store (LocalParamStore); the seam where a network transport (parameters fetched from a remote
// learner) plugs in.
#pragma once

#include <memory>

#include "sinew/transport/param_snapshot.h"

namespace sinew {

class ParamSource {
 public:
  virtual ~ParamSource() = default;

  // The newest snapshot (null before the first one arrived). The snapshot stays valid however
  // many newer ones arrive after it. Never waits for longer than a pointer swap.
  virtual std::shared_ptr<const ParamSnapshot> latest() const = 0;
};

}  // namespace sinew
