// Where a run's numbers go: the metrics bus that actors, learner and control record into; its
// sinks, metrics.csv and a TensorBoard event file (the config as text, every scalar key as a
// hyperparameter); and the console progress line. Wiring (TrainingRun) decides when; this
// decides where and how.
//
// Threads: bus() is thread-safe. open(), report() and close() are for the control thread.
#pragma once

#include <cstdint>
#include <memory>

#include "sinew/core/config.h"
#include "sinew/core/logger.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/progress_line.h"
#include "sinew/core/run_dir.h"
#include "sinew/core/tensorboard_writer.h"

namespace sinew {

class RunTelemetry {
 public:
  explicit RunTelemetry(Logger& log) : log_(log) {}
  ~RunTelemetry() { close(); }
  RunTelemetry(const RunTelemetry&) = delete;
  RunTelemetry& operator=(const RunTelemetry&) = delete;

  MetricsBus& bus() { return bus_; }
  const MetricsBus& bus() const { return bus_; }

  // Opens metrics.csv (appending) and a new TensorBoard event file in `run_dir` and writes
  // `config` there. `resumed_step` >= 0 continues an earlier session: the bus gets the earlier
  // rows as history, and TensorBoard marks a session restart at that step.
  void open(const RunDir& run_dir, const Config& config, int64_t resumed_step);

  // One progress tick: records the episode count and run time, flushes the bus at `p.step`
  // (rows to metrics.csv and TensorBoard) and prints the progress line, with the latest mean
  // return and policy lag filled in from the bus.
  void report(Progress p, int64_t episodes, bool paused);

  // Detaches TensorBoard from the bus (the writer is closed); the bus stays readable.
  void close();

 private:
  Logger& log_;
  MetricsBus bus_;
  std::unique_ptr<TensorBoardWriter> tensorboard_;  // open() until close()
};

}  // namespace sinew
