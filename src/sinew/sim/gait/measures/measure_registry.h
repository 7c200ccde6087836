// The gait reward measures sinew knows, by the name env.reward.<term>.measure selects. Adding a
// measure is its files in measures/ plus one line in measure_registry.cc.
#pragma once

#include "sinew/core/name_registry.h"
#include "sinew/sim/gait/measures/measure_entry.h"

namespace sinew {

class MeasureRegistry : public NameRegistry<MeasureEntry> {
 public:
  MeasureRegistry() : NameRegistry("measure") {}
  // The entry `keys`.measure selects; throws ConfigError listing the names when there is none.
  const MeasureEntry& at(const MeasureKeys& keys) const {
    return NameRegistry::at(keys.config, keys.key + ".measure");
  }
};

// Every measure, in the order the error for an unknown name lists them.
const MeasureRegistry& measure_registry();

}  // namespace sinew
