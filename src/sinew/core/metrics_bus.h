// The metrics bus: named scalars ("group/name", e.g. "rollout/return") recorded from any thread,
// averaged over each flush interval and written to metrics.csv.
//
// metrics.csv is in long form, one row per metric per flush: `step,wall_time_s,name,value`
// (load it with pandas and pivot on `name`). A flush writes each metric recorded since the last
// flush once, with the mean of its values. No (step, name) pair ever repeats: a metric already
// written at a step (two flushes without steps in between, e.g. while paused) waits for the
// next flush at a later step.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sinew/core/metrics_sink.h"

namespace sinew {

// Rewrites a metrics.csv keeping the header and the rows with step <= max_step (used when a
// run resumes from the checkpoint at max_step). Returns the number of rows dropped; a missing
// file drops nothing.
std::size_t truncate_metrics_csv(const std::filesystem::path& path, int64_t max_step);

class MetricsBus final : public MetricsSink {
 public:
  MetricsBus() = default;

  // Writes rows to `path` from now on (appends; writes the header to a new file).
  void open_csv(const std::filesystem::path& path);

  // Also hands every flushed interval (step, name -> mean) to `sink`, e.g. a TensorBoard
  // writer. Called under the bus's lock, so the sink needs no locking of its own.
  using Sink = std::function<void(int64_t step, const std::map<std::string, double>& means)>;
  void set_sink(Sink sink);

  // Adds one value of `name` to the current interval. Thread-safe; never blocks for long.
  void record(const std::string& name, double value) override;

  // Writes the mean of every metric recorded since the last flush, tagged with `step`, and
  // makes those means readable through latest(). Returns the number of rows written.
  std::size_t flush(int64_t step, double wall_time_s);

  // Every flushed (step, wall time, name, mean) row, oldest first, up to `max_rows` (the oldest
  // are dropped beyond that). Rows with step > `after_step` only.
  struct Row {
    int64_t step;
    double wall_time_s;
    std::string name;
    double value;
  };
  std::vector<Row> history(int64_t after_step = -1) const;
  // Loads earlier rows (a resumed run's metrics.csv) into the history.
  void load_history(const std::filesystem::path& csv);
  static constexpr std::size_t kMaxHistoryRows = 200000;

  // The mean from the most recent flush that included `name`.
  std::optional<double> latest(const std::string& name) const;

 private:
  struct Accumulator {
    double sum = 0;
    int64_t count = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::string, Accumulator> pending_;
  std::map<std::string, double> latest_;
  int64_t last_step_ = -1;
  std::set<std::string> written_at_last_step_;
  std::ofstream csv_;
  Sink sink_;
  std::vector<Row> history_;
  void remember(Row row);
};

}  // namespace sinew
