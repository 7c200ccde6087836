// Where a part of the run records its named scalars ("group/name"): the metrics bus
// (metrics_bus.h), or a scope that files one model's metrics under its own name
// (prefixed_metrics.h). Implementations are thread-safe.
#pragma once

#include <string>

namespace sinew {

class MetricsSink {
 public:
  virtual ~MetricsSink() = default;
  // Adds one value of `name` to the current interval.
  virtual void record(const std::string& name, double value) = 0;
};

}  // namespace sinew
