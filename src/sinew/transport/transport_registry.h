// The transports sinew knows, by the name `runtime.transport` selects. Each describes itself in
// one TransportEntry; transport_registry.cc lists the entries, one line each. A run built
// before the key existed uses `local`.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sinew/core/config.h"
#include "sinew/core/name_registry.h"
#include "sinew/transport/transport.h"

namespace sinew {

struct TransportEntry {
  std::string name;     // the value of runtime.transport
  std::string summary;  // one line for --help and errors

  // Builds the transport from the run's config (runtime.*). Throws ConfigError naming the key.
  std::function<std::unique_ptr<Transport>(const Config& config)> make;

  bool complete() const { return static_cast<bool>(make); }
};

const NameRegistry<TransportEntry>& transports();

// The transport `config` selects (runtime.transport; `local` when the key is absent), built.
// Throws ConfigError naming runtime.transport for an unknown name.
std::unique_ptr<Transport> make_transport(const Config& config);

}  // namespace sinew
