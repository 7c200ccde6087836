#include "sinew/runtime/run_supervisor.h"

#include <signal.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "sinew/core/progress_line.h"

namespace sinew {
namespace fs = std::filesystem;
namespace {
// How long the final checkpoint of a stopped run waits for every worker to park.
constexpr double kStopParkSeconds = 10;
}  // namespace

RunSupervisor::RunSupervisor(const RunOptions& opt, Parts parts) : opt_(opt), p_(parts) {}

double RunSupervisor::pause_timeout_s() const {
  return opt_.watchdog_s > 0 ? opt_.watchdog_s : 600;
}

std::string RunSupervisor::newest_checkpoint() const {
  const std::string last = p_.checkpoints.last().path;
  return last.empty() ? "none" : last;
}

TrainingSummary RunSupervisor::run(TrainingSummary summary) {
  started_steps_ = p_.counters.env_steps.load();
  const int64_t every = opt_.checkpoint_every_steps;
  next_checkpoint_steps_ = every > 0 ? (started_steps_ / every + 1) * every : 0;
  last_checkpoint_clock_s_ = p_.clock.now_s();
  p_.episodes.record(p_.clock.now_s());
  p_.workers.start();

  PeriodicTasks tasks = periodic_tasks();
  const Clock::time_point first_signal_at = control_loop(tasks, &summary);

  // shutdown; a second signal now exits at once. One signal often arrives twice within
  // milliseconds (`timeout` signals the command and then its process group), so copies within
  // a second of the first count as the same request.
  std::atomic<bool> shut_down{false};
  std::thread second_signal([&] {
    while (!shut_down.load()) {
      if (p_.signals.wait(0.1) == 0) continue;
      if (first_signal_at != Clock::time_point::max() &&
          Clock::now() - first_signal_at < std::chrono::seconds(1)) {
        p_.log.debug("signal repeated within a second: taken as the same stop request");
        continue;
      }
      p_.log.error("second signal: exiting now without a final checkpoint");
      std::_Exit(130);
    }
  });
  struct JoinOnExit {
    std::atomic<bool>& done;
    std::thread& thread;
    ~JoinOnExit() {
      done.store(true);
      thread.join();
    }
  } join_second_signal{shut_down, second_signal};

  if (std::exception_ptr error = p_.workers.error()) {
    if (!p_.workers.learner_failed()) {
      p_.log.error("actor {} failed; saving the learner and the other actors before exiting",
                   p_.workers.failed_worker());
      summary.final_checkpoint = save_parked_workers("worker_failed");
      if (!summary.final_checkpoint.empty()) {
        p_.log.info("final checkpoint: {}", summary.final_checkpoint.string());
      }
    }
    std::rethrow_exception(error);
  }
  p_.clock.resume();  // a run stopped while user-paused
  report_progress();
  write_final_checkpoint(&summary);
  summary.env_steps = p_.counters.env_steps.load();
  summary.updates = p_.workers.learner().version();
  summary.wall_seconds = p_.clock.now_s();
  p_.workers.join(p_.log);
  p_.episodes.wait_idle();
  return summary;
}

RunSupervisor::Clock::time_point RunSupervisor::control_loop(PeriodicTasks& tasks,
                                                             TrainingSummary* summary) {
  while (true) {
    int sig = p_.signals.wait(0.1);
    if (sig != 0) {
      p_.log.info("{} received: stopping and writing a final checkpoint (again to exit at once)",
                  sig == SIGINT   ? "SIGINT"
                  : sig == SIGHUP ? "SIGHUP"
                                  : "SIGTERM");
      summary->interrupted = true;
      return Clock::now();
    }
    p_.commands.handle([this](const std::string& name) { return carry_out(name); });
    if (p_.commands.stop_requested()) {
      summary->interrupted = true;
      break;
    }
    if (p_.workers.stopping() || p_.workers.error()) break;
    if (watchdog_check()) {
      summary->watchdog_fired = true;
      break;
    }
    if (p_.counters.env_steps.load() >= opt_.total_steps) break;
    tasks.run_due();
  }
  return Clock::time_point::max();
}

RunCommands::Reply RunSupervisor::carry_out(const std::string& command) {
  nlohmann::json reply = nlohmann::json::object();
  if (command == "pause") {
    if (!p_.clock.paused()) {
      const auto start = Clock::now();
      pausing_.store(true);
      const bool parked =
          p_.workers.pause(pause_timeout_s(), [this] { return p_.commands.stop_requested(); });
      pausing_.store(false);
      if (!parked) {
        p_.workers.release();
        throw std::runtime_error(p_.commands.stop_requested() ? "a stop came first"
                                                              : "workers did not pause");
      }
      p_.clock.pause();
      const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
      p_.log.info("paused at step {} ({:.3f} s to take effect)", p_.counters.env_steps.load(),
                  seconds);
      reply["pause_seconds"] = seconds;
    }
  } else if (command == "resume") {
    if (p_.clock.paused()) {
      p_.clock.resume();
      p_.workers.release();
      p_.log.info("resumed at step {}", p_.counters.env_steps.load());
    }
  } else if (command == "checkpoint") {
    reply["checkpoint"] = checkpoint_now("request").string();
  }
  return {200, std::move(reply)};
}

fs::path RunSupervisor::checkpoint_now(const std::string& reason, bool final) {
  const auto start = Clock::now();
  const bool user_paused = p_.clock.paused();
  // after a stop the user waits: the final checkpoint waits for a block boundary at most
  // kStopParkSeconds, then saves the learner and the actors that parked
  const double timeout_s = final && p_.commands.stop_requested()
                               ? std::min(pause_timeout_s(), kStopParkSeconds)
                               : pause_timeout_s();
  auto give_up = [this, final] { return !final && p_.commands.stop_requested(); };
  if (!user_paused && !p_.workers.pause(timeout_s, give_up)) {
    p_.workers.release();
    throw WorkersDidNotPause("could not pause the workers for a checkpoint");
  }
  p_.telemetry.bus().record("checkpoint/pause_seconds",
                            std::chrono::duration<double>(Clock::now() - start).count());
  fs::path path;
  try {
    path = p_.checkpoints.save(reason, std::vector<bool>(p_.workers.num_actors(), true));
  } catch (...) {
    if (!user_paused) p_.workers.release();  // a failed save must not leave them parked
    throw;
  }
  if (!user_paused) p_.workers.release();
  last_checkpoint_clock_s_ = p_.clock.now_s();
  return path;
}

void RunSupervisor::write_final_checkpoint(TrainingSummary* summary) {
  if (summary->watchdog_fired) {
    summary->final_checkpoint = save_parked_workers("watchdog");
    return;
  }
  const std::string reason = summary->interrupted ? "interrupted" : "end";
  try {
    summary->final_checkpoint = checkpoint_now(reason, /*final=*/true);
    if (!summary->interrupted) {
      p_.episodes.wait_idle();  // the one running may be older than the final step
      p_.episodes.record(p_.clock.now_s());
    }
  } catch (const WorkersDidNotPause&) {
    // a stuck worker never parks: save the learner and the actors that do
    p_.log.warn("the workers did not all park in time for the final checkpoint");
    summary->final_checkpoint = save_parked_workers(reason);
    if (summary->final_checkpoint.empty()) summary->checkpoint_error = "workers did not park";
  } catch (const std::exception& e) {
    summary->checkpoint_error = e.what();
    p_.log.error("the final checkpoint failed: {}; the newest checkpoint is {}", e.what(),
                 newest_checkpoint());
  }
}

fs::path RunSupervisor::save_parked_workers(const std::string& reason) {
  // a stuck or failed worker never parks: save what is consistent, the learner and the
  // actors that park
  const auto parked = p_.workers.park_what_responds();
  if (!parked) {
    p_.log.error("{}: the learner does not respond; the newest checkpoint is {}", reason,
                 newest_checkpoint());
    return {};
  }
  try {
    fs::path checkpoint = p_.checkpoints.save(reason, *parked);
    for (std::size_t i = 0; i < parked->size(); ++i) {
      if (!(*parked)[i]) p_.log.warn("actor {} state not saved: its envs restart on resume", i);
    }
    return checkpoint;
  } catch (const std::exception& e) {
    p_.log.error("the final checkpoint failed: {}; the newest checkpoint is {}", e.what(),
                 newest_checkpoint());
    return {};
  }
}

bool RunSupervisor::watchdog_check() {
  if (opt_.watchdog_s <= 0) return false;
  for (const auto& w : p_.workers.heartbeats()) {
    if (w.activity == Activity::kFinished || w.silent_s < opt_.watchdog_s) continue;
    p_.log.error("watchdog: {} made no progress for {:.0f} s (last activity: {}); stopping the run",
                 w.name, w.silent_s, activity_name(w.activity));
    return true;
  }
  return false;
}

void RunSupervisor::report_progress() {
  Progress p;
  p.step = p_.counters.env_steps.load();
  p.total_steps = opt_.total_steps;
  p.elapsed_s = p_.clock.now_s();
  // the windowed rate once there is one, the average since the start before that
  p.steps_per_second = steps_per_second_.load();
  const double session_s = p_.clock.session_s();
  if (p.steps_per_second <= 0 && session_s > 0 && !p_.clock.paused()) {
    p.steps_per_second = static_cast<double>(p.step - started_steps_) / session_s;
  }
  p_.telemetry.report(p, p_.counters.episodes.load(), p_.clock.paused());
}

PeriodicTasks RunSupervisor::periodic_tasks() {
  // in this order each round
  PeriodicTasks tasks;
  rate_steps_ = p_.counters.env_steps.load();
  rate_time_ = last_report_ = Clock::now();
  tasks.add({"throughput", [] { return true; },
             [this] {
               // steps/s over the last second or more, not counting user pauses
               const auto now = Clock::now();
               const double since = std::chrono::duration<double>(now - rate_time_).count();
               if (p_.clock.paused() || since >= 1.0) {
                 const int64_t steps = p_.counters.env_steps.load();
                 if (!p_.clock.paused()) {
                   const double rate = static_cast<double>(steps - rate_steps_) / since;
                   steps_per_second_.store(rate);
                   p_.telemetry.bus().record("rollout/steps_per_second", rate);
                 }
                 rate_steps_ = steps;
                 rate_time_ = now;
               }
             }});
  tasks.add({"progress",
             [this] {
               return std::chrono::duration<double>(Clock::now() - last_report_).count() >=
                      opt_.log_every_s;
             },
             [this] {
               report_progress();
               last_report_ = Clock::now();
             }});
  tasks.add({"evaluation episode",
             [this] { return !p_.clock.paused() && p_.episodes.due(p_.clock.now_s()); },
             [this] { p_.episodes.record(p_.clock.now_s()); }});
  auto checkpoint_by_steps = [this] {
    return opt_.checkpoint_every_steps > 0 &&
           p_.counters.env_steps.load() >= next_checkpoint_steps_;
  };
  auto checkpoint_by_time = [this] {
    return opt_.checkpoint_every_minutes > 0 &&
           p_.clock.now_s() - last_checkpoint_clock_s_ >= 60 * opt_.checkpoint_every_minutes;
  };
  tasks.add(
      {"checkpoint",
       [=, this] { return (checkpoint_by_steps() || checkpoint_by_time()) && !p_.clock.paused(); },
       [=, this] {
         const bool by_steps = checkpoint_by_steps();
         try {
           checkpoint_now(by_steps ? "every_steps" : "every_minutes");
         } catch (const std::exception& e) {
           // e.g. the disk is full: the previous checkpoints are intact; training goes on
           // and the next scheduled checkpoint tries again
           p_.log.error("checkpoint at step {} failed: {}; the previous checkpoint is kept",
                        p_.counters.env_steps.load(), e.what());
           last_checkpoint_clock_s_ = p_.clock.now_s();
         }
         while (opt_.checkpoint_every_steps > 0 &&
                next_checkpoint_steps_ <= p_.counters.env_steps.load()) {
           next_checkpoint_steps_ += opt_.checkpoint_every_steps;
         }
       }});
  return tasks;
}

}  // namespace sinew
