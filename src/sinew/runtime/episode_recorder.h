// Records one deterministic evaluation episode with the newest published parameters, for the
// gait viewer (episodes/latest.json in the run folder and GET /api/episode), every
// runtime.episode_every_minutes of run time. Episodes are simulated on a background thread, so
// progress, signals, checkpoints and the control API never wait for one.
//
// Threads: due() and record() are for the control thread; latest() may be called from any
// thread. The destructor waits for the episode being recorded.
#pragma once

#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "sinew/algo/agent/agent.h"
#include "sinew/core/config.h"
#include "sinew/core/logger.h"
#include "sinew/env/env_maker.h"
#include "sinew/runtime/background_worker.h"
#include "sinew/runtime/run_counters.h"

namespace sinew {

class EpisodeRecorder {
 public:
  // Everything here outlives the recorder. `every_minutes` <= 0: never records.
  EpisodeRecorder(const Config& config, const EnvMaker& envs, const Agent& agent,
                  const RunCounters& counters, std::filesystem::path run_dir, double every_minutes,
                  Logger& log);

  // Whether an episode is due at run time `clock_s` (the last one started every_minutes ago).
  bool due(double clock_s) const;
  // Starts recording an episode at run time `clock_s`, unless the previous one is still being
  // recorded (then it is skipped). An agent of several models has no single policy for the
  // viewer: nothing is recorded.
  void record(double clock_s);
  // Waits until the episode being recorded, if any, is written.
  void wait_idle() { worker_.wait_idle(); }

  // The newest recorded episode (null before the first).
  nlohmann::json latest() const;

 private:
  void record_now();

  const Config& config_;
  const EnvMaker& envs_;
  const Agent& agent_;
  const RunCounters& counters_;
  const std::filesystem::path run_dir_;
  const double every_minutes_;
  Logger& log_;
  double last_clock_s_ = 0;  // control thread: when the last episode started

  mutable std::mutex mutex_;
  nlohmann::json latest_;  // GUARDED_BY(mutex_)
  // last: destroyed (its job finished) before everything its job reads
  BackgroundWorker worker_;
};

}  // namespace sinew
