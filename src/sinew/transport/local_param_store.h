// Parameters from the learner to the actors inside one process: the newest snapshot behind a
// pointer swap (snapshot_store.h), a ParamSink for the learner and a ParamSource for the actors.
// Thread-safe.
#pragma once

#include "sinew/transport/param_sink.h"
#include "sinew/transport/param_source.h"
#include "sinew/transport/snapshot_store.h"

namespace sinew {

class LocalParamStore final : public ParamSink, public ParamSource {
 public:
  void publish(std::shared_ptr<const ParamSnapshot> snapshot) override {
    store_.publish(std::move(snapshot));
  }
  std::shared_ptr<const ParamSnapshot> latest() const override { return store_.latest(); }

 private:
  SnapshotStore<ParamSnapshot> store_;
};

}  // namespace sinew
