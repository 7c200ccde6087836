#include "sinew/transport/transport_registry.h"

#include "sinew/transport/local_transport.h"

namespace sinew {

const NameRegistry<TransportEntry>& transports() {
  static const NameRegistry<TransportEntry> registry = [] {
    NameRegistry<TransportEntry> r("transport");
    r.add({"local", "actors and learner in one process, blocks through a bounded queue",
           [](const Config& c) {
             return std::make_unique<LocalTransport>(
                 static_cast<std::size_t>(c.get_int("runtime.queue_capacity", 1, 1 << 16)));
           }});
    return r;
  }();
  return registry;
}

std::unique_ptr<Transport> make_transport(const Config& config) {
  if (!config.has("runtime.transport")) return transports().entries().front().make(config);
  return transports().at(config, "runtime.transport").make(config);
}

}  // namespace sinew
