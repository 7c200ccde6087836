// Builds environments from the `env.*` section of a config: env.name picks an entry of the env
// registry (env_registry() below: one line per env type), whose maker reads that env's keys and
// loads what its envs share (a MuJoCo model is loaded and compiled once, shared read-only).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/env/env_maker.h"
#include "sinew/env/env_registry.h"

namespace sinew {

// Every env sinew knows, in `sinew envs` order.
const EnvRegistry& env_registry();

class EnvFactory final : public EnvMaker {
 public:
  // Reads env.name and that env's keys; throws ConfigError / UserError on bad values or files.
  explicit EnvFactory(const Config& config);

  const EnvSpec& spec() const override { return maker_->spec(); }
  // A new env. Thread-safe.
  std::unique_ptr<Env> make() const override { return maker_->make(); }
  int64_t run_raw_dynamics(double seconds, uint64_t seed) const override {
    return maker_->run_raw_dynamics(seconds, seed);
  }
  int substeps_per_step() const override { return maker_->substeps_per_step(); }

  // Every env sinew knows, as (name, one-line description).
  static std::vector<std::pair<std::string, std::string>> available();

 private:
  std::unique_ptr<EnvMaker> maker_;
};

}  // namespace sinew
