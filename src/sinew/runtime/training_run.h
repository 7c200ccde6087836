// One training run end to end: run folder, env factory, agent, actor threads, learner thread,
// metrics, progress line, HTTP control API, checkpoints of the whole system, resume, watchdog,
// and shutdown on completion, on request or on SIGINT/SIGTERM.
//
// Threads: `runtime.actors` actors (one intra-op thread each), one learner
// (`runtime.learner_threads` intra-op threads), the control API's server threads, and the
// calling thread, which controls the run (signals, commands, progress, checkpoints, watchdog)
// and sleeps otherwise.
#pragma once

#include <atomic>
#include <deque>
#include <filesystem>
#include <future>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "sinew/algo/agent/agent.h"
#include "sinew/core/config.h"
#include "sinew/core/logger.h"
#include "sinew/core/run_dir.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/runtime/actor.h"
#include "sinew/runtime/background_worker.h"
#include "sinew/runtime/learner.h"
#include "sinew/runtime/periodic_tasks.h"
#include "sinew/runtime/run_control.h"
#include "sinew/runtime/run_options.h"
#include "sinew/runtime/run_telemetry.h"
#include "sinew/serve/run_api.h"
#include "sinew/transport/local_block_queue.h"

namespace sinew {

class ControlServer;

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

class TrainingRun final : public RunApi {
 public:
  // A new run from a resolved config. Validates everything (ConfigError / UserError) before
  // creating the run folder. `signals` must exist before any thread starts.
  static std::unique_ptr<TrainingRun> create(const Config& config, Logger& log,
                                             SignalWaiter& signals);

  // Continues a run from `path` (a run folder: its newest checkpoint that verifies, reporting
  // the ones skipped; or one checkpoint folder). `overrides` may change safe keys (learning
  // rate, total steps, logging, checkpoint cadence); keys that change shapes or the env are
  // refused with a UserError.
  static std::unique_ptr<TrainingRun> resume(const std::filesystem::path& path,
                                             const std::vector<std::string>& overrides, Logger& log,
                                             SignalWaiter& signals);

  ~TrainingRun();

  // Runs to trainer.total_steps, a stop request or a signal, with a final checkpoint.
  TrainingSummary run();

  // RunApi (serve/run_api.h): what the control API's routes read, on server threads.
  // status() takes status_mutex_; command() hands the command to the control thread and waits
  // for its reply.
  nlohmann::json status() const override;
  nlohmann::json config() const override;
  nlohmann::json checkpoints() const override;
  nlohmann::json metrics(int64_t after) const override;
  nlohmann::json episode() const override;
  std::pair<int, nlohmann::json> command(const std::string& name) override;

 private:
  TrainingRun(Config config, RunDir run_dir, Logger& log, SignalWaiter& signals);

  // Whole-system checkpoints (training_checkpoint.cc). save_checkpoint() requires the workers
  // parked or not running; `actors_saved` lists which actors' state to include.
  std::filesystem::path save_checkpoint(const std::string& reason,
                                        const std::vector<bool>& actors_saved);
  // `manifest` is the checkpoint's manifest, already verified by the caller.
  void restore(const std::filesystem::path& checkpoint, const nlohmann::json& manifest);

  // Pauses all workers at a consistent point, saves, and releases them unless user-paused.
  struct WorkersDidNotPause : std::runtime_error {
    using std::runtime_error::runtime_error;
  };
  // `final`: the run's last checkpoint, which a stop does not cut short. Throws
  // WorkersDidNotPause when the workers do not park in time (or a stop came first).
  std::filesystem::path checkpoint_now(const std::string& reason, bool final = false);
  // Parks every worker; false after timeout_s, when the run stops, or (`interruptible`) when a
  // stop is requested meanwhile.
  bool pause_workers(double timeout_s, bool interruptible = true);
  // How long a pause may wait for the workers: runtime.watchdog_seconds, or 600 s without one.
  double pause_timeout_s() const;

  void start_threads();
  void start_control_server();
  void write_control_file();
  void handle_commands();
  bool watchdog_check();
  void report_progress();
  // The supervisor's periodic work, registered in the order it runs each round: throughput,
  // progress, evaluation episode, checkpoint by steps or run time.
  PeriodicTasks periodic_tasks();
  // Watches signals, commands, worker failures, the watchdog and the end, running the due
  // tasks in between; returns when the run should stop (with why in `summary`), and the time
  // of the signal that stopped it (max() when no signal did).
  std::chrono::steady_clock::time_point control_loop(PeriodicTasks& tasks,
                                                     TrainingSummary* summary);
  // "end" / "interrupted", or after the watchdog what is consistent: the learner and the
  // actors that parked. Failures go to summary->checkpoint_error.
  void write_final_checkpoint(TrainingSummary* summary);
  // Stops and joins the workers and the episode worker; ends the process if one never finishes.
  void join_workers();
  // After the watchdog or a failed actor: pauses the learner and the actors that still run and
  // saves them (`reason` in the manifest). Returns the checkpoint, or empty when the learner
  // did not park or the save failed (logged).
  std::filesystem::path save_parked_workers(const std::string& reason);
  // Whether a worker thread threw.
  bool worker_failed();
  // Starts recording one deterministic episode with the newest parameters for the gait viewer
  // (episodes/latest.json and GET /api/episode) on episode_worker_; skipped while the previous
  // one is still recording.
  void record_episode();
  // Seconds of training in this run, paused time excluded, earlier sessions included. The
  // control thread calls it freely; other threads only while holding status_mutex_.
  double run_clock_s() const;
  // The learner's view of the agent's models.
  std::vector<LearnerModel> learner_models() const;

  // Who touches what. The control thread is the one in create()/resume() and run(); the
  // control API's server threads run the RunApi methods (status(), the GET routes, command()).
  // Members without a note are set before any other thread starts and only read afterwards.
  Config config_;
  Logger& log_;            // thread-safe
  SignalWaiter& signals_;  // control thread (and the shutdown watcher)
  RunDir run_dir_;
  RunOptions opt_;                  // the config's runtime keys, read once
  nlohmann::json parent_;           // init.from's source (checkpoints' "parent")
  std::unique_ptr<EnvMaker> envs_;  // the configured envs (env_factory.h); make() from any thread
  // The models the learner drives and their parameter stores (thread-safe): the trainers
  // belong to the learner thread while it runs; the control thread uses them only while the
  // learner is parked or not running.
  std::unique_ptr<Agent> agent_;
  RunTelemetry telemetry_{log_};                // bus() thread-safe; the rest control thread
  std::unique_ptr<RunControl> control_;         // thread-safe
  std::unique_ptr<LocalBlockQueue> queue_;      // thread-safe; actors send, the learner receives
  std::unique_ptr<SyncGate> gate_;              // runtime.synchronous; thread-safe
  std::unique_ptr<Learner> learner_;            // its thread; state only while parked
  std::vector<std::unique_ptr<Actor>> actors_;  // each its thread; state only while parked
  std::vector<std::thread> threads_;            // control thread
  std::unique_ptr<ControlServer> server_;       // control thread

  std::atomic<int64_t> env_steps_{0};
  std::atomic<int64_t> steps_claimed_{0};  // actors' claims on trainer.total_steps (ActorContext)
  std::atomic<int64_t> episodes_{0};
  std::atomic<bool> user_paused_{false};   // written under status_mutex_
  std::atomic<bool> user_pausing_{false};  // a pause command waits for the workers to park
  std::atomic<bool> stop_requested_{false};
  std::atomic<double> steps_per_second_{0};
  int64_t started_steps_ = 0;           // control thread: env steps when this session started
  double clock_base_s_ = 0;             // run clock carried over from a resumed checkpoint;
                                        // set before the server starts
  int64_t next_checkpoint_steps_ = 0;   // control thread
  double last_checkpoint_clock_s_ = 0;  // control thread
  double last_episode_clock_s_ = 0;     // control thread: when the last episode started
  int64_t rate_steps_ = 0;              // control thread: the throughput window's start ...
  std::chrono::steady_clock::time_point rate_time_;    // ... in steps and time
  std::chrono::steady_clock::time_point last_report_;  // control thread: last progress line

  // The run clock and the status the server threads read. The control thread is the only
  // writer: it writes these under status_mutex_ and may read them without it; every other
  // thread reads them under it.
  mutable std::mutex status_mutex_;
  double paused_total_s_ = 0;  // GUARDED_BY(status_mutex_) time spent user-paused
  std::chrono::steady_clock::time_point started_;       // GUARDED_BY(status_mutex_) session start
  std::chrono::steady_clock::time_point paused_since_;  // GUARDED_BY(status_mutex_)
  std::string last_checkpoint_;        // GUARDED_BY(status_mutex_) path, for /api/status
  int64_t last_checkpoint_step_ = -1;  // GUARDED_BY(status_mutex_)
  nlohmann::json episode_;             // GUARDED_BY(status_mutex_) latest recorded episode,
                                       // for /api/episode

  // commands from the control API, executed on the control thread
  struct Command {
    std::string name;
    std::promise<std::pair<int, nlohmann::json>> reply;
  };
  std::mutex commands_mutex_;
  std::deque<std::shared_ptr<Command>> commands_;  // GUARDED_BY(commands_mutex_)
  std::pair<int, nlohmann::json> submit(const std::string& name);

  // the first exception a worker thread threw
  std::mutex error_mutex_;
  std::exception_ptr worker_error_;  // GUARDED_BY(error_mutex_)
  int failed_worker_ = -1;           // GUARDED_BY(error_mutex_) its RunControl index

  // Records evaluation episodes off the control thread; its job reads config_, envs_,
  // agent_'s parameter stores, env_steps_ and run_dir_, and writes episode_ under status_mutex_.
  // Declared last, so it is destroyed (its job finished) before everything its job reads.
  std::unique_ptr<BackgroundWorker> episode_worker_ = std::make_unique<BackgroundWorker>();
};

// Keys that `sinew resume` refuses to change (prefix match): they change network shapes, the
// env or the saved actor state.
bool resume_may_change(const std::string& key);

}  // namespace sinew
