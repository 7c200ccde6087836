#include "sinew/runtime/training_run.h"

#include <fmt/format.h>
#include <signal.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>

#include "sinew/core/checkpoint.h"
#include "sinew/core/progress_line.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/nn/param_copy.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/runtime/episode_trace.h"
#include "sinew/runtime/periodic_tasks.h"
#include "sinew/runtime/policy_init.h"
#include "sinew/runtime/run_options.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/run_api.h"
#include "sinew/serve/run_views.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {
// How long the final checkpoint of a stopped run waits for every worker to park.
constexpr double kStopParkSeconds = 10;
}  // namespace
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

TrainingRun::~TrainingRun() {
  // threads are joined in run(); this only covers a run() that threw
  if (control_) control_->stop();
  if (queue_) queue_->close();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  server_.reset();
  telemetry_.close();
  std::error_code ec;
  fs::remove(run_dir_.path() / "control.json", ec);
}

double TrainingRun::run_clock_s() const {
  auto now = Clock::now();
  double paused = paused_total_s_;
  if (user_paused_.load()) paused += std::chrono::duration<double>(now - paused_since_).count();
  return clock_base_s_ + std::chrono::duration<double>(now - started_).count() - paused;
}

void TrainingRun::start_threads() {
  // The first exception a worker throws ends the run. A failed learner stops everything at once;
  // after a failed actor the control thread first saves what is consistent (the learner and
  // the other actors, parked) and then reports the error.
  auto guard = [this](int worker, auto body) {
    return [this, worker, body] {
      try {
        body();
      } catch (...) {
        std::lock_guard lock(error_mutex_);
        if (!worker_error_) {
          worker_error_ = std::current_exception();
          failed_worker_ = worker;
        }
        if (worker == control_->learner_index()) control_->stop();
      }
    };
  };
  threads_.emplace_back(guard(control_->learner_index(), [this] {
    learner_->run();
    control_->beat(control_->learner_index(), Activity::kFinished);
  }));
  for (auto& actor : actors_) {
    threads_.emplace_back(guard(actor->id(), [this, a = actor.get()] {
      a->run();
      control_->beat(a->id(), Activity::kFinished);
    }));
  }
}

double TrainingRun::pause_timeout_s() const { return opt_.watchdog_s > 0 ? opt_.watchdog_s : 600; }

bool TrainingRun::pause_workers(double timeout_s, bool interruptible) {
  control_->request_pause();
  // wait in slices so that a stop sent meanwhile takes effect at once
  auto deadline = Clock::now() + std::chrono::duration<double>(timeout_s);
  while (Clock::now() < deadline) {
    if (control_->wait_until_parked(std::chrono::milliseconds(100))) return true;
    if (control_->stopping() || (interruptible && stop_requested_.load())) return false;
  }
  return false;
}

fs::path TrainingRun::checkpoint_now(const std::string& reason, bool final) {
  auto start = Clock::now();
  // after a stop the user waits: the final checkpoint waits for a block boundary at most
  // kStopParkSeconds, then saves the learner and the actors that parked
  const double timeout_s = final && stop_requested_.load()
                               ? std::min(pause_timeout_s(), kStopParkSeconds)
                               : pause_timeout_s();
  if (!user_paused_.load() && !pause_workers(timeout_s, /*interruptible=*/!final)) {
    if (!user_paused_.load()) control_->release();
    throw WorkersDidNotPause("could not pause the workers for a checkpoint");
  }
  double pause_s = std::chrono::duration<double>(Clock::now() - start).count();
  telemetry_.bus().record("checkpoint/pause_seconds", pause_s);
  fs::path path;
  try {
    path = save_checkpoint(reason, std::vector<bool>(actors_.size(), true));
  } catch (...) {
    if (!user_paused_.load()) control_->release();  // a failed save must not leave them parked
    throw;
  }
  if (!user_paused_.load()) control_->release();
  return path;
}

TrainingSummary TrainingRun::run() {
  TrainingSummary summary;
  summary.run_dir = run_dir_.path();
  const EnvSpec& spec = envs_->spec();
  log_.info("run {} | env {} (obs {}, actions {}) | {} actors x {} envs | {} of {} steps",
            run_dir_.path().string(), spec.name, spec.obs_dim,
            spec.is_discrete() ? fmt::format("1 of {}", spec.num_actions)
                               : fmt::format("{} continuous", spec.action_dim),
            opt_.actors, opt_.envs_per_actor, human_count(static_cast<double>(env_steps_.load())),
            human_count(static_cast<double>(opt_.total_steps)));
  // the session clock starts before the server, whose threads read it through status()
  {
    std::lock_guard lock(status_mutex_);
    started_ = Clock::now();
  }
  started_steps_ = env_steps_.load();
  start_control_server();
  last_checkpoint_clock_s_ = run_clock_s();
  record_episode();
  start_threads();

  PeriodicTasks tasks = periodic_tasks();
  const Clock::time_point first_signal_at = control_loop(tasks, &summary);

  // shutdown; a second signal now exits at once. One signal often arrives twice within
  // milliseconds (`timeout` signals the command and then its process group), so copies within
  // a second of the first count as the same request.
  std::atomic<bool> shut_down{false};
  std::thread second_signal([&] {
    while (!shut_down.load()) {
      if (signals_.wait(0.1) == 0) continue;
      if (first_signal_at != Clock::time_point::max() &&
          Clock::now() - first_signal_at < std::chrono::seconds(1)) {
        log_.debug("signal repeated within a second: taken as the same stop request");
        continue;
      }
      log_.error("second signal: exiting now without a final checkpoint");
      std::_Exit(130);
    }
  });
  if (worker_failed()) {
    std::exception_ptr error;
    int failed = -1;
    {
      std::lock_guard lock(error_mutex_);
      error = worker_error_;
      failed = failed_worker_;
    }
    if (failed != control_->learner_index()) {
      log_.error("actor {} failed; saving the learner and the other actors before exiting", failed);
      summary.final_checkpoint = save_parked_workers("worker_failed");
      if (!summary.final_checkpoint.empty()) {
        log_.info("final checkpoint: {}", summary.final_checkpoint.string());
      }
    }
    shut_down.store(true);
    second_signal.join();
    std::rethrow_exception(error);
  }
  if (user_paused_.load()) {
    std::lock_guard lock(status_mutex_);
    paused_total_s_ += std::chrono::duration<double>(Clock::now() - paused_since_).count();
    user_paused_.store(false);
  }
  report_progress();
  write_final_checkpoint(&summary);
  summary.env_steps = env_steps_.load();
  summary.updates = learner_->version();
  summary.wall_seconds = run_clock_s();
  join_workers();
  shut_down.store(true);
  second_signal.join();
  server_.reset();
  telemetry_.bus().flush(summary.env_steps, summary.wall_seconds);
  log_.info(
      "done: {} steps, {} updates, {} run time ({} steps/s), dropped {} stale blocks",
      human_count(static_cast<double>(summary.env_steps)), summary.updates,
      human_duration(summary.wall_seconds),
      human_count(static_cast<double>(summary.env_steps) / std::max(summary.wall_seconds, 1e-9)),
      learner_->dropped_blocks());
  if (!summary.final_checkpoint.empty()) {
    log_.info("final checkpoint: {}", summary.final_checkpoint.string());
  }
  return summary;
}

Clock::time_point TrainingRun::control_loop(PeriodicTasks& tasks, TrainingSummary* summary) {
  while (true) {
    int sig = signals_.wait(0.1);
    if (sig != 0) {
      log_.info("{} received: stopping and writing a final checkpoint (again to exit at once)",
                sig == SIGINT   ? "SIGINT"
                : sig == SIGHUP ? "SIGHUP"
                                : "SIGTERM");
      summary->interrupted = true;
      return Clock::now();
    }
    handle_commands();
    if (stop_requested_.load()) {
      summary->interrupted = true;
      break;
    }
    if (control_->stopping() || worker_failed()) break;
    if (watchdog_check()) {
      summary->watchdog_fired = true;
      break;
    }
    if (env_steps_.load() >= opt_.total_steps) break;
    tasks.run_due();
  }
  return Clock::time_point::max();
}

void TrainingRun::write_final_checkpoint(TrainingSummary* summary) {
  if (!summary->watchdog_fired) {
    try {
      summary->final_checkpoint =
          checkpoint_now(summary->interrupted ? "interrupted" : "end", /*final=*/true);
      if (!summary->interrupted) {
        episode_worker_->wait_idle();  // the one running may be older than the final step
        record_episode();
      }
    } catch (const WorkersDidNotPause&) {
      // a stuck worker never parks: save the learner and the actors that do
      log_.warn("the workers did not all park in time for the final checkpoint");
      summary->final_checkpoint = save_parked_workers(summary->interrupted ? "interrupted" : "end");
      if (summary->final_checkpoint.empty()) summary->checkpoint_error = "workers did not park";
    } catch (const std::exception& e) {
      summary->checkpoint_error = e.what();
      log_.error("the final checkpoint failed: {}; the newest checkpoint is {}", e.what(),
                 last_checkpoint_.empty() ? "none" : last_checkpoint_);
    }
    return;
  }
  summary->final_checkpoint = save_parked_workers("watchdog");
}

fs::path TrainingRun::save_parked_workers(const std::string& reason) {
  // a stuck or failed worker never parks: save what is consistent, the learner and the
  // actors that park
  control_->request_pause(/*learner_only=*/true);
  if (!control_->wait_until_learner_parked(std::chrono::seconds(10))) {
    log_.error("{}: the learner does not respond; the newest checkpoint is {}", reason,
               last_checkpoint_.empty() ? "none" : last_checkpoint_);
    return {};
  }
  control_->wait_until_parked(std::chrono::seconds(2));
  std::vector<bool> parked = control_->parked_actors();
  try {
    fs::path checkpoint = save_checkpoint(reason, parked);
    for (std::size_t i = 0; i < parked.size(); ++i) {
      if (!parked[i]) log_.warn("actor {} state not saved: its envs restart on resume", i);
    }
    return checkpoint;
  } catch (const std::exception& e) {
    log_.error("the final checkpoint failed: {}; the newest checkpoint is {}", e.what(),
               last_checkpoint_.empty() ? "none" : last_checkpoint_);
    return {};
  }
}

bool TrainingRun::worker_failed() {
  std::lock_guard lock(error_mutex_);
  return worker_error_ != nullptr;
}

void TrainingRun::join_workers() {
  control_->stop();
  queue_->close();
  // a worker that never finishes (the watchdog's case) ends the process
  auto deadline = Clock::now() + std::chrono::seconds(10);
  while (Clock::now() < deadline) {
    bool all_done = true;
    for (const auto& w : control_->workers()) all_done &= w.activity == Activity::kFinished;
    if (all_done) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  for (const auto& w : control_->workers()) {
    if (w.activity != Activity::kFinished) {
      log_.error("{} did not finish ({}); exiting without joining it", w.name,
                 activity_name(w.activity));
      std::_Exit(1);
    }
  }
  for (auto& t : threads_) t.join();
  threads_.clear();
  episode_worker_->wait_idle();
}

}  // namespace sinew
