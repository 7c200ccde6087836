// One training run end to end, composed of parts with one job each:
//   RunWorkers       the learner and actor threads, the queue between them, pausing and stopping
//   RunCheckpointer  whole-system checkpoints and restoring one
//   EpisodeRecorder  evaluation episodes for the gait viewer, off the control thread
//   RunSupervisor    the control loop: signals, commands, watchdog, periodic tasks, the end
//   RunClock, RunCounters, RunCommands, RunTelemetry  what they share
// TrainingRun assembles them from the config (and a checkpoint, on resume), serves the control
// API (RunApi) over them, and runs the supervisor.
//
// Threads: `runtime.actors` actors (one intra-op thread each), one learner
// (`runtime.learner_threads` intra-op threads), the control API's server threads, the episode
// recorder's thread, and the calling thread, which runs the supervisor.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sinew/algo/agent/agent.h"
#include "sinew/core/config.h"
#include "sinew/core/logger.h"
#include "sinew/core/run_dir.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/env/env_maker.h"
#include "sinew/runtime/episode_recorder.h"
#include "sinew/runtime/learner.h"
#include "sinew/runtime/run_checkpointer.h"
#include "sinew/runtime/run_clock.h"
#include "sinew/runtime/run_commands.h"
#include "sinew/runtime/run_counters.h"
#include "sinew/runtime/run_options.h"
#include "sinew/runtime/run_supervisor.h"
#include "sinew/runtime/run_telemetry.h"
#include "sinew/runtime/run_workers.h"
#include "sinew/serve/run_api.h"

namespace sinew {

class ControlServer;

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
  // command() hands the command to the supervisor and waits for its reply; a stop is taken at
  // once.
  nlohmann::json status() const override;
  nlohmann::json config() const override;
  nlohmann::json checkpoints() const override;
  nlohmann::json metrics(int64_t after) const override;
  nlohmann::json episode() const override;
  std::pair<int, nlohmann::json> command(const std::string& name) override;

 private:
  TrainingRun(Config config, RunDir run_dir, Logger& log, SignalWaiter& signals);

  void start_control_server();
  void write_control_file();
  // The learner's view of the agent's models.
  std::vector<LearnerModel> learner_models() const;

  // Members are set before any thread starts and only read afterwards, unless noted; the
  // parts are thread-safe where their headers say so. Declared in the order they are built and
  // destroyed in reverse: the server (whose threads read everything) goes first.
  Config config_;
  Logger& log_;  // thread-safe
  SignalWaiter& signals_;
  RunDir run_dir_;
  RunOptions opt_;                  // the config's runtime keys, read once
  std::unique_ptr<EnvMaker> envs_;  // the configured envs (env_factory.h); make() from any thread
  // The models the learner drives and their parameter stores (thread-safe): the trainers
  // belong to the learner thread while it runs; others use them only while the learner is
  // parked or not running.
  std::unique_ptr<Agent> agent_;
  RunTelemetry telemetry_{log_};
  RunCounters counters_;
  RunClock clock_;
  RunCommands commands_;
  std::unique_ptr<RunWorkers> workers_;
  std::unique_ptr<RunCheckpointer> checkpoints_;
  std::unique_ptr<EpisodeRecorder> episodes_;
  std::unique_ptr<RunSupervisor> supervisor_;
  std::unique_ptr<ControlServer> server_;  // control thread
};

// Keys that `sinew resume` refuses to change (prefix match): they change network shapes, the
// env or the saved actor state.
bool resume_may_change(const std::string& key);

}  // namespace sinew
