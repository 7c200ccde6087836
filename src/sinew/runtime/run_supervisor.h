// The control thread of a run: starts the workers, then watches signals, control API commands,
// worker failures, the watchdog and the end, running the periodic tasks in between (throughput,
// progress line, evaluation episode, checkpoint by steps or run time); at the end it writes the
// final checkpoint of what is consistent and joins the workers.
//
// It sees the other parts through what it needs of them: the workers it pauses, releases and
// stops (RunWorkers), the checkpointer that saves them while parked, the episode recorder, the
// run clock and counters, the command queue, and the telemetry it reports progress to.
//
// Threads: run() is the control thread; pausing() and steps_per_second() may be read from any
// thread (for /api/status).
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "sinew/core/logger.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/runtime/episode_recorder.h"
#include "sinew/runtime/periodic_tasks.h"
#include "sinew/runtime/run_checkpointer.h"
#include "sinew/runtime/run_clock.h"
#include "sinew/runtime/run_commands.h"
#include "sinew/runtime/run_counters.h"
#include "sinew/runtime/run_options.h"
#include "sinew/runtime/run_telemetry.h"
#include "sinew/runtime/run_workers.h"

namespace sinew {

struct TrainingSummary {
  std::filesystem::path run_dir;
  std::filesystem::path final_checkpoint;  // empty if none could be written
  int64_t env_steps = 0;
  int64_t updates = 0;
  double wall_seconds = 0;       // run clock: paused time excluded, resumes included
  bool interrupted = false;      // stopped by a signal or /api/stop before the end
  bool watchdog_fired = false;   // a thread stopped making progress
  std::string checkpoint_error;  // why the final checkpoint failed ("" when it did not)
};

class RunSupervisor {
 public:
  // What it supervises; everything outlives the supervisor.
  struct Parts {
    RunWorkers& workers;
    RunCheckpointer& checkpoints;
    EpisodeRecorder& episodes;
    RunClock& clock;
    RunCounters& counters;
    RunCommands& commands;
    RunTelemetry& telemetry;
    SignalWaiter& signals;
    Logger& log;
  };
  RunSupervisor(const RunOptions& opt, Parts parts);

  // Starts the workers and supervises them until trainer.total_steps, a stop request, a
  // signal, the watchdog or a failed worker; then writes the final checkpoint and joins the
  // workers. A second signal meanwhile exits the process at once (130). A failed worker's
  // exception is rethrown, after a failed actor's run has saved the learner and the rest.
  TrainingSummary run(TrainingSummary summary);

  bool pausing() const { return pausing_.load(); }
  double steps_per_second() const { return steps_per_second_.load(); }

 private:
  struct WorkersDidNotPause : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  using Clock = std::chrono::steady_clock;

  // Returns when the run should stop (with why in `summary`), and the time of the signal that
  // stopped it (max() when no signal did).
  Clock::time_point control_loop(PeriodicTasks& tasks, TrainingSummary* summary);
  PeriodicTasks periodic_tasks();
  RunCommands::Reply carry_out(const std::string& command);
  bool watchdog_check();
  void report_progress();
  // How long a pause may wait for the workers: runtime.watchdog_seconds, or 600 s without one.
  double pause_timeout_s() const;
  // Pauses all workers at a consistent point, saves, and releases them unless user-paused.
  // `final`: the run's last checkpoint, which a stop does not cut short. Throws
  // WorkersDidNotPause when the workers do not park in time (or a stop came first).
  std::filesystem::path checkpoint_now(const std::string& reason, bool final = false);
  // "end" / "interrupted", or after the watchdog what is consistent: the learner and the
  // actors that parked. Failures go to summary->checkpoint_error.
  void write_final_checkpoint(TrainingSummary* summary);
  // After the watchdog or a failed actor: pauses the learner and the actors that still run and
  // saves them (`reason` in the manifest). The checkpoint, or empty when the learner did not
  // park or the save failed (logged).
  std::filesystem::path save_parked_workers(const std::string& reason);
  std::string newest_checkpoint() const;

  const RunOptions& opt_;
  Parts p_;

  std::atomic<bool> pausing_{false};  // a pause command waits for the workers to park
  std::atomic<double> steps_per_second_{0};
  int64_t started_steps_ = 0;           // env steps when this session started
  int64_t next_checkpoint_steps_ = 0;   // checkpoint.every_steps: the next one's step
  double last_checkpoint_clock_s_ = 0;  // checkpoint.every_minutes: run time of the last try
  int64_t rate_steps_ = 0;              // the throughput window's start ...
  Clock::time_point rate_time_;         // ... in steps and time
  Clock::time_point last_report_;       // last progress line
};

}  // namespace sinew
