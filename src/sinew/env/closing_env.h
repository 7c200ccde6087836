// An env made for a while (a probe of the env's sensors, an evaluation, a recording, a benchmark)
// that is closed when it goes, also when an exception leaves the scope: for a camera or an OSC
// device, an env that is never closed is a leaked connection.
#pragma once

#include <memory>
#include <utility>

#include "sinew/env/env.h"

namespace sinew {

class ClosingEnv {
 public:
  explicit ClosingEnv(std::unique_ptr<Env> env) : env_(std::move(env)) {}
  ~ClosingEnv() {
    if (!env_) return;
    try {
      env_->close();
    } catch (...) {  // a failing close must not hide the error that unwinds past it
    }
  }
  ClosingEnv(const ClosingEnv&) = delete;
  ClosingEnv& operator=(const ClosingEnv&) = delete;

  Env& operator*() const { return *env_; }
  Env* operator->() const { return env_.get(); }

 private:
  std::unique_ptr<Env> env_;
};

}  // namespace sinew
