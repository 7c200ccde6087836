// Makes the envs of one configured kind (EnvRegistry builds one from the config): the shared,
// read-only part of an env type (a compiled model, a device's address) and what every env of
// it looks like.
#pragma once

#include <cstdint>
#include <memory>

#include "sinew/env/env.h"

namespace sinew {

class EnvMaker {
 public:
  virtual ~EnvMaker() = default;

  // What every env made here looks like.
  virtual const EnvSpec& spec() const = 0;

  // A new env. Thread-safe: actors make their envs concurrently.
  virtual std::unique_ptr<Env> make() const = 0;

  // The world's own dynamics alone, without the env around it (MuJoCo: plain mj_step calls
  // with random controls), run for about `seconds` on the calling thread: the limit the env
  // benchmark measures the env against. Returns the substeps run, or 0 when the world has no
  // such loop (a live world).
  virtual int64_t run_raw_dynamics(double seconds, uint64_t seed) const { return 0; }
  // Substeps per control step (MuJoCo: env.frame_skip).
  virtual int substeps_per_step() const { return 1; }
};

}  // namespace sinew
