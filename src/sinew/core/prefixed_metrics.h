// One model's view of the metrics: "train/x" recorded through it becomes "train/<model>/x"
// (other groups likewise), so two trainers of one agent that both write train/update_seconds
// keep apart. An empty model name passes names through unchanged: a run with one policy keeps
// the metric names it always had.
#pragma once

#include <string>

#include "sinew/core/metrics_sink.h"

namespace sinew {

class PrefixedMetrics final : public MetricsSink {
 public:
  // `target` must outlive this view.
  PrefixedMetrics(MetricsSink& target, std::string model)
      : target_(target), model_(std::move(model)) {}

  void record(const std::string& name, double value) override {
    if (model_.empty()) return target_.record(name, value);
    const auto slash = name.find('/');
    if (slash == std::string::npos) return target_.record(model_ + "/" + name, value);
    target_.record(name.substr(0, slash + 1) + model_ + name.substr(slash), value);
  }

 private:
  MetricsSink& target_;
  std::string model_;
};

}  // namespace sinew
