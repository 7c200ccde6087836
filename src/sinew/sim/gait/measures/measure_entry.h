// How one kind of gait reward measure is read from its reward term (env.reward.<term>.measure
// names it; the term's other keys are its parameters). Each measure declares its entry in its
// own header (e.g. velocity_measure_entry()); measure_registry.cc lists them, one line each.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "sinew/core/config.h"
#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/reference_motion.h"

namespace sinew {

// One reward term's keys, as a measure reads them.
struct MeasureKeys {
  const Config& config;
  std::string key;  // "env.reward.<term>"
  // The env's reference motion (env.reference), read once when first asked for.
  std::function<std::shared_ptr<const ReferenceMotion>()> reference;

  // key.<sub> as a number in [lo, hi]; throws ConfigError naming it.
  double number(const std::string& sub, double lo, double hi) const {
    return config.get_double(key + "." + sub, lo, hi);
  }
  // key.<sub> when present, else `fallback`.
  double optional(const std::string& sub, double fallback) const {
    return config.has(key + "." + sub) ? config.get_double(key + "." + sub) : fallback;
  }
};

// Makes one env's own instance of a configured measure (measures keep per-episode state).
using MeasureMaker = std::function<std::unique_ptr<GaitMeasure>()>;

struct MeasureEntry {
  std::string name;  // the value of env.reward.<term>.measure
  // Reads and checks the measure's parameters; throws ConfigError naming the key.
  std::function<MeasureMaker(const MeasureKeys& keys)> read;

  bool complete() const { return static_cast<bool>(read); }
};

}  // namespace sinew
