// The envs sinew knows, by the name `env.name` selects (the config group configs/env/<name>.yaml).
// Each env type describes itself in one EnvEntry next to its code (sim/pendulum/pendulum_entry.cc,
// ...) and the list of entries is one line each (sim/env_factory.cc), so adding an env is its files
// plus one registration line; nothing else switches on env.name.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/core/name_registry.h"
#include "sinew/env/env_maker.h"

namespace sinew {

struct EnvEntry {
  std::string name;         // the value of env.name, e.g. "gait"
  std::string description;  // one line for `sinew envs`
  // Reads the env's keys (env.*) and loads what its envs share. Throws ConfigError naming the
  // key, or UserError naming the file.
  std::function<std::unique_ptr<EnvMaker>(const Config& config)> make;

  bool complete() const { return static_cast<bool>(make); }
};

class EnvRegistry : public NameRegistry<EnvEntry> {
 public:
  EnvRegistry() : NameRegistry("env") {}
  // The entry `config`'s env.name selects; throws ConfigError listing the registered names.
  const EnvEntry& at(const Config& config) const { return NameRegistry::at(config, "env.name"); }
};

}  // namespace sinew
