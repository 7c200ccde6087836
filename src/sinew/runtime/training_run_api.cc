// TrainingRun as the control API sees it (RunApi: status, config, checkpoints, metrics,
// episodes, commands) and the commands its control thread carries out.
#include <fmt/format.h>

#include <chrono>

#include "sinew/core/checkpoint.h"
#include "sinew/core/progress_line.h"
#include "sinew/core/text_file.h"
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

std::pair<int, nlohmann::json> TrainingRun::submit(const std::string& name) {
  if (name == "stop") {
    // taken here, not behind the control thread, which may be waiting for a pause or writing a
    // checkpoint: those waits end on it, and the run stops with a final checkpoint
    if (!stop_requested_.exchange(true)) log_.info("stop requested through the control API");
    return {200, status()};
  }
  auto command = std::make_shared<Command>();
  command->name = name;
  auto reply = command->reply.get_future();
  {
    std::lock_guard lock(commands_mutex_);
    commands_.push_back(command);
  }
  if (reply.wait_for(std::chrono::minutes(5)) != std::future_status::ready) {
    return {503, {{"error", "the run did not answer within 5 minutes"}}};
  }
  return reply.get();
}

nlohmann::json TrainingRun::config() const { return config_view(config_); }

nlohmann::json TrainingRun::checkpoints() const { return checkpoints_view(run_dir_.checkpoints()); }

nlohmann::json TrainingRun::metrics(int64_t after) const {
  return metrics_view(telemetry_.bus().history(after));
}

nlohmann::json TrainingRun::episode() const {
  std::lock_guard lock(status_mutex_);
  return episode_;
}

std::pair<int, nlohmann::json> TrainingRun::command(const std::string& name) {
  return submit(name);
}

void TrainingRun::start_control_server() {
  server_ = std::make_unique<ControlServer>(opt_.serve_host, opt_.serve_port, opt_.serve_token,
                                            run_api_routes(*this));
  write_control_file();
  log_.info("dashboard and control API at {} (sinew ctl status --run {})", server_->url(),
            run_dir_.path().string());
}

void TrainingRun::write_control_file() {
  nlohmann::json j;
  j["url"] = server_->url();
  j["host"] = opt_.serve_host;
  j["port"] = server_->port();
  j["pid"] = static_cast<int64_t>(getpid());
  j["token_required"] = !opt_.serve_token.empty();
  write_file_atomically(run_dir_.path() / "control.json", j.dump(2) + "\n");
}

nlohmann::json TrainingRun::status() const {
  nlohmann::json j;
  j["state"] = stop_requested_.load() || control_->stopping() ? "stopping"
               : user_paused_.load()                          ? "paused"
               : user_pausing_.load()                         ? "pausing"
                                                              : "running";
  j["step"] = env_steps_.load();
  j["total_steps"] = opt_.total_steps;
  j["steps_per_second"] = steps_per_second_.load();
  j["episodes"] = episodes_.load();
  j["learner_version"] = learner_->version();
  j["experiment"] = opt_.experiment;
  j["run_dir"] = run_dir_.path().string();
  if (auto r = telemetry_.bus().latest("rollout/return")) j["mean_return"] = *r;
  if (auto lag = telemetry_.bus().latest("train/policy_lag")) j["policy_lag"] = *lag;
  // the agent's models and their trainers
  nlohmann::json trainers = nlohmann::json::array();
  for (std::size_t i = 0; i < agent_->size(); ++i) {
    const ModelSpec& m = agent_->model(i);
    nlohmann::json t = {
        {"model", m.name}, {"trainer", m.trainer}, {"acts", m.acts}, {"obs_dim", m.spec.obs_dim}};
    if (m.acts) {
      t["action_dim"] = m.spec.action_dim;
      t["version"] = learner_->version(agent_->policy_column(i));
    }
    trainers.push_back(std::move(t));
  }
  j["trainers"] = std::move(trainers);
  std::lock_guard lock(status_mutex_);
  j["elapsed_s"] = run_clock_s();
  j["last_checkpoint"] = last_checkpoint_;
  j["last_checkpoint_step"] = last_checkpoint_step_;
  return j;
}

void TrainingRun::handle_commands() {
  std::deque<std::shared_ptr<Command>> pending;
  {
    std::lock_guard lock(commands_mutex_);
    pending.swap(commands_);
  }
  for (auto& command : pending) {
    std::pair<int, nlohmann::json> reply;
    try {
      if (command->name == "pause") {
        if (!user_paused_.load()) {
          auto start = Clock::now();
          user_pausing_.store(true);
          const bool parked = pause_workers(pause_timeout_s());
          user_pausing_.store(false);
          if (!parked) {
            control_->release();
            throw std::runtime_error(stop_requested_.load() ? "a stop came first"
                                                            : "workers did not pause");
          }
          {
            std::lock_guard lock(status_mutex_);
            paused_since_ = Clock::now();
            user_paused_.store(true);
          }
          double seconds = std::chrono::duration<double>(Clock::now() - start).count();
          log_.info("paused at step {} ({:.3f} s to take effect)", env_steps_.load(), seconds);
          reply = {200, status()};
          reply.second["pause_seconds"] = seconds;
        } else {
          reply = {200, status()};
        }
      } else if (command->name == "resume") {
        if (user_paused_.load()) {
          {
            std::lock_guard lock(status_mutex_);
            paused_total_s_ += std::chrono::duration<double>(Clock::now() - paused_since_).count();
            user_paused_.store(false);
          }
          control_->release();
          log_.info("resumed at step {}", env_steps_.load());
        }
        reply = {200, status()};
      } else if (command->name == "checkpoint") {
        fs::path path = checkpoint_now("request");
        reply = {200, status()};
        reply.second["checkpoint"] = path.string();
      }
    } catch (const std::exception& e) {
      reply = {500, {{"error", e.what()}}};
    }
    command->reply.set_value(reply);
  }
}

}  // namespace sinew
