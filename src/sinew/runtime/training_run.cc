#include "sinew/runtime/training_run.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "sinew/core/progress_line.h"
#include "sinew/core/text_file.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/run_views.h"

namespace sinew {
namespace fs = std::filesystem;

TrainingRun::~TrainingRun() {
  // run() has joined everything; this covers a run() that threw (the server goes first: its
  // threads read the parts)
  server_.reset();
  supervisor_.reset();
  episodes_.reset();
  checkpoints_.reset();
  workers_.reset();  // stops and joins what still runs
  telemetry_.close();
  std::error_code ec;
  fs::remove(run_dir_.path() / "control.json", ec);
}

TrainingSummary TrainingRun::run() {
  TrainingSummary summary;
  summary.run_dir = run_dir_.path();
  const EnvSpec& spec = envs_->spec();
  log_.info("run {} | env {} (obs {}, actions {}) | {} actors x {} envs | {} of {} steps",
            run_dir_.path().string(), spec.name, spec.obs_dim,
            spec.is_discrete() ? fmt::format("1 of {}", spec.num_actions)
                               : fmt::format("{} continuous", spec.action_dim),
            opt_.actors, opt_.envs_per_actor,
            human_count(static_cast<double>(counters_.env_steps.load())),
            human_count(static_cast<double>(opt_.total_steps)));
  // the session clock starts before the server, whose threads read it through status()
  clock_.start();
  start_control_server();
  summary = supervisor_->run(std::move(summary));
  server_.reset();
  telemetry_.bus().flush(summary.env_steps, summary.wall_seconds);
  log_.info(
      "done: {} steps, {} updates, {} run time ({} steps/s), dropped {} stale blocks",
      human_count(static_cast<double>(summary.env_steps)), summary.updates,
      human_duration(summary.wall_seconds),
      human_count(static_cast<double>(summary.env_steps) / std::max(summary.wall_seconds, 1e-9)),
      workers_->learner().dropped_blocks());
  if (!summary.final_checkpoint.empty()) {
    log_.info("final checkpoint: {}", summary.final_checkpoint.string());
  }
  return summary;
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

std::pair<int, nlohmann::json> TrainingRun::command(const std::string& name) {
  if (name == "stop") {
    // taken here, not behind the control thread, which may be waiting for a pause or writing a
    // checkpoint: those waits end on it, and the run stops with a final checkpoint
    if (commands_.request_stop()) log_.info("stop requested through the control API");
    return {200, status()};
  }
  auto [code, reply] = commands_.submit(name);
  if (code != 200) return {code, std::move(reply)};
  nlohmann::json answer = status();
  answer.update(reply);
  return {200, std::move(answer)};
}

nlohmann::json TrainingRun::config() const { return config_view(config_); }

nlohmann::json TrainingRun::checkpoints() const { return checkpoints_view(run_dir_.checkpoints()); }

nlohmann::json TrainingRun::metrics(int64_t after) const {
  return metrics_view(telemetry_.bus().history(after));
}

nlohmann::json TrainingRun::episode() const { return episodes_->latest(); }

nlohmann::json TrainingRun::status() const {
  nlohmann::json j;
  j["state"] = commands_.stop_requested() || workers_->stopping() ? "stopping"
               : clock_.paused()                                  ? "paused"
               : supervisor_->pausing()                           ? "pausing"
                                                                  : "running";
  const Learner& learner = workers_->learner();
  j["step"] = counters_.env_steps.load();
  j["total_steps"] = opt_.total_steps;
  j["steps_per_second"] = supervisor_->steps_per_second();
  j["episodes"] = counters_.episodes.load();
  j["learner_version"] = learner.version();
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
      t["version"] = learner.version(agent_->policy_column(i));
    }
    trainers.push_back(std::move(t));
  }
  j["trainers"] = std::move(trainers);
  j["elapsed_s"] = clock_.now_s();
  const RunCheckpointer::Last last = checkpoints_->last();
  j["last_checkpoint"] = last.path;
  j["last_checkpoint_step"] = last.step;
  return j;
}

}  // namespace sinew
