// What TrainingRun's control thread does besides commands: the periodic tasks of each round
// (progress, evaluation episodes, watchdog, checkpoints by steps or minutes).
#include <fmt/format.h>

#include <chrono>

#include "sinew/core/checkpoint.h"
#include "sinew/core/progress_line.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/nn/param_copy.h"
#include "sinew/runtime/episode_trace.h"
#include "sinew/runtime/periodic_tasks.h"
#include "sinew/runtime/training_run.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/run_api.h"
#include "sinew/serve/run_views.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool TrainingRun::watchdog_check() {
  if (opt_.watchdog_s <= 0) return false;
  for (const auto& w : control_->workers()) {
    if (w.activity == Activity::kFinished || w.silent_s < opt_.watchdog_s) continue;
    log_.error("watchdog: {} made no progress for {:.0f} s (last activity: {}); stopping the run",
               w.name, w.silent_s, activity_name(w.activity));
    return true;
  }
  return false;
}

void TrainingRun::report_progress() {
  Progress p;
  p.step = env_steps_.load();
  p.total_steps = opt_.total_steps;
  p.elapsed_s = run_clock_s();
  // the windowed rate once there is one, the average since the start before that
  p.steps_per_second = steps_per_second_.load();
  const double run_s = std::chrono::duration<double>(Clock::now() - started_).count();
  if (p.steps_per_second <= 0 && run_s > 0 && !user_paused_.load()) {
    p.steps_per_second = static_cast<double>(p.step - started_steps_) / run_s;
  }
  telemetry_.report(p, episodes_.load(), user_paused_.load());
}

void TrainingRun::record_episode() {
  if (opt_.episode_every_minutes <= 0) return;
  last_episode_clock_s_ = run_clock_s();
  // the viewer's episode plays one policy; an agent of several models has none to record yet
  if (!agent_->spec().single()) return;
  const bool started = episode_worker_->try_submit([this] {
    auto start = Clock::now();
    try {
      // the newest published parameters, as `sinew eval` would load them
      auto snapshot = agent_->params(0).latest();
      LoadedPolicy policy;
      policy.config = config_;
      policy.model = ActorCritic(agent_->policy_options(0));
      copy_params_in(*snapshot, *policy.model);
      policy.model->eval();
      policy.normalizer = snapshot->obs_normalizer;
      ClosingEnv env(envs_->make());
      const uint64_t seed = 777;
      PolicyActor actor(policy, envs_->spec(), seed, /*deterministic=*/true);
      nlohmann::json trace = record_trace(*env, &actor, seed);
      trace["step"] = env_steps_.load();
      trace["policy_version"] = snapshot->version;
      trace["source"] = run_dir_.path().string();
      const fs::path file = episode_file(run_dir_.path());
      fs::create_directories(file.parent_path());
      write_file_atomically(file, trace.dump());
      std::lock_guard lock(status_mutex_);
      episode_ = std::move(trace);
    } catch (const std::exception& e) {
      log_.warn("could not record an evaluation episode for the viewer: {}", e.what());
    }
    log_.debug("recorded an evaluation episode in {:.2f} s",
               std::chrono::duration<double>(Clock::now() - start).count());
  });
  if (!started) log_.debug("the previous evaluation episode is still recording; skipped");
}

PeriodicTasks TrainingRun::periodic_tasks() {
  // in this order each round
  PeriodicTasks tasks;
  rate_steps_ = env_steps_.load();
  rate_time_ = last_report_ = Clock::now();
  tasks.add({"throughput", [] { return true; },
             [this] {
               // steps/s over the last second or more, not counting user pauses
               const auto now = Clock::now();
               const double since = std::chrono::duration<double>(now - rate_time_).count();
               if (user_paused_.load() || since >= 1.0) {
                 const int64_t steps = env_steps_.load();
                 if (!user_paused_.load()) {
                   const double rate = static_cast<double>(steps - rate_steps_) / since;
                   steps_per_second_.store(rate);
                   telemetry_.bus().record("rollout/steps_per_second", rate);
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
             [this] {
               return opt_.episode_every_minutes > 0 && !user_paused_.load() &&
                      run_clock_s() - last_episode_clock_s_ >= 60 * opt_.episode_every_minutes;
             },
             [this] { record_episode(); }});
  auto checkpoint_by_steps = [this] {
    return opt_.checkpoint_every_steps > 0 && env_steps_.load() >= next_checkpoint_steps_;
  };
  auto checkpoint_by_time = [this] {
    return opt_.checkpoint_every_minutes > 0 &&
           run_clock_s() - last_checkpoint_clock_s_ >= 60 * opt_.checkpoint_every_minutes;
  };
  tasks.add({"checkpoint",
             [=, this] {
               return (checkpoint_by_steps() || checkpoint_by_time()) && !user_paused_.load();
             },
             [=, this] {
               const bool by_steps = checkpoint_by_steps();
               try {
                 checkpoint_now(by_steps ? "every_steps" : "every_minutes");
               } catch (const std::exception& e) {
                 // e.g. the disk is full: the previous checkpoints are intact; training goes on
                 // and the next scheduled checkpoint tries again
                 log_.error("checkpoint at step {} failed: {}; the previous checkpoint is kept",
                            env_steps_.load(), e.what());
                 last_checkpoint_clock_s_ = run_clock_s();
               }
               while (opt_.checkpoint_every_steps > 0 &&
                      next_checkpoint_steps_ <= env_steps_.load()) {
                 next_checkpoint_steps_ += opt_.checkpoint_every_steps;
               }
             }});
  return tasks;
}

}  // namespace sinew
