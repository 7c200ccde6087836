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

namespace {

// Actors deliver whole blocks of envs_per_actor x rollout_length steps: refuse blocks larger
// than the whole run or than memory sensibly holds, and say how the step count is rounded.
void check_block_size(const RunOptions& opt, const EnvSpec& spec, Logger& log) {
  const int64_t block = static_cast<int64_t>(opt.envs_per_actor) * opt.rollout_length;
  if (block > opt.total_steps) {
    throw ConfigError("runtime.rollout_length",
                      fmt::format("one block of {} steps (runtime.envs_per_actor={} x "
                                  "runtime.rollout_length={}) is more than trainer.total_steps={}",
                                  block, opt.envs_per_actor, opt.rollout_length, opt.total_steps));
  }
  constexpr double kMaxBlockBytes = 1024.0 * 1024 * 1024;
  const double bytes =
      static_cast<double>(block) * (2.0 * spec.obs_dim + spec.action_dim + 8) * sizeof(float);
  if (bytes > kMaxBlockBytes) {
    throw ConfigError("runtime.rollout_length",
                      fmt::format("one block of {} steps would take {:.1f} GiB (limit 1 GiB): "
                                  "lower runtime.rollout_length or runtime.envs_per_actor",
                                  block, bytes / kMaxBlockBytes));
  }
  if (opt.total_steps % block != 0) {
    log.info(
        "trainer.total_steps={}: actors deliver whole blocks of {} steps, so the run ends "
        "at {} steps",
        opt.total_steps, block, (opt.total_steps + block - 1) / block * block);
  }
}

// What each policy starts from: the run's init.from for a run of one policy, else each
// policy's agent.models.<name>.init.from (index: the agent's models). Throws UserError.
std::vector<std::optional<InitSource>> read_init_sources(const Config& config, const EnvSpec& env) {
  const AgentSpec agent = AgentSpec::from_config(config, env);
  if (!agent.single() && !InitOptions::from_config(config).from.empty()) {
    throw ConfigError("init.from",
                      "init.from: this run's agent has several models (agent.models); set "
                      "agent.models.<name>.init.from for the policy it is for");
  }
  std::vector<std::optional<InitSource>> sources(agent.models().size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const ModelSpec& m = agent.models()[i];
    const InitOptions init = InitOptions::from_config(m.config);
    if (!init.from.empty() && !m.acts) {
      throw ConfigError(agent.config_key(m, "init.from"),
                        fmt::format("{}: only policies start from trained parameters",
                                    agent.config_key(m, "init.from")));
    }
    if (!init.from.empty()) sources[i] = read_init_source(init);
  }
  return sources;
}

// `whole` with the statistics of the observation values `index` replaced by `part`'s (all of
// them when `index` is empty), counting as many observations as `part`.
RunningNormalizer with_part(const RunningNormalizer& whole, const RunningNormalizer& part,
                            const std::vector<int>& index) {
  if (index.empty()) return part;
  std::vector<double> mean = whole.mean(), variance = whole.variance();
  for (std::size_t k = 0; k < index.size(); ++k) {
    mean[index[k]] = part.mean()[k];
    variance[index[k]] = part.variance()[k];
  }
  return RunningNormalizer::from_moments(std::move(mean), std::move(variance), part.count(),
                                         whole.clip(), whole.epsilon());
}

}  // namespace

TrainingRun::TrainingRun(Config config, RunDir run_dir, Logger& log, SignalWaiter& signals)
    : config_(config.with_secrets_redacted()),
      log_(log),
      signals_(signals),
      run_dir_(std::move(run_dir)),
      opt_(config) {
  envs_ = std::make_unique<EnvFactory>(config_);
  const EnvSpec& spec = envs_->spec();
  torch::manual_seed(opt_.seed);
  set_intra_op_threads(opt_.learner_threads);
  if (!set_blas_threads(opt_.learner_threads)) {
    log_.debug("BLAS thread count not adjustable; leaving the BLAS library's default");
  }
  // the agent's models (agent.models; one policy from algo.name without it)
  agent_ = std::make_unique<Agent>(config_, spec, opt_.seed);
  control_ = std::make_unique<RunControl>(opt_.actors);
  queue_ = std::make_unique<LocalBlockQueue>(opt_.queue_capacity);
  if (opt_.synchronous) gate_ = std::make_unique<SyncGate>(opt_.lead_steps);
  learner_ =
      std::make_unique<Learner>(learner_models(), RunningNormalizer(spec.obs_dim),
                                LearnerContext{queue_.get(), &telemetry_.bus(), control_.get(),
                                               opt_.learner_threads, gate_.get()});
  ActorContext actor_context;
  actor_context.envs = envs_.get();
  for (std::size_t i = 0; i < agent_->size(); ++i) {
    if (!agent_->policy(i)) continue;
    const ModelSpec& m = agent_->model(i);
    actor_context.policies.push_back(
        {&agent_->params(i), agent_->policy_options(i), m.obs_index, m.action_index});
  }
  actor_context.blocks = queue_.get();
  actor_context.metrics = &telemetry_.bus();
  actor_context.env_steps = &env_steps_;
  actor_context.episodes = &episodes_;
  actor_context.steps_claimed = &steps_claimed_;
  actor_context.total_steps = opt_.total_steps;
  actor_context.gate = gate_.get();
  actor_context.control = control_.get();
  actor_context.stall_actor = opt_.stall_actor;
  actor_context.fail_actor = opt_.fail_actor;
  {
    ClosingEnv probe(envs_->make());
    configure_exploration(config_, *probe, &actor_context);
  }
  for (int i = 0; i < opt_.actors; ++i) {
    actors_.push_back(std::make_unique<Actor>(i, opt_.envs_per_actor, opt_.rollout_length,
                                              opt_.seed, actor_context));
  }
}

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

std::unique_ptr<TrainingRun> TrainingRun::create(const Config& config, Logger& log,
                                                 SignalWaiter& signals) {
  // validate everything against a scratch build first, so bad input leaves no run folder
  RunOptions check(config);
  if (!ControlServer::is_loopback(check.serve_host) && check.serve_token.empty()) {
    throw ConfigError("serve.token", fmt::format("serve.host={} is not a loopback address: set "
                                                 "serve.token (clients send it as a bearer token)",
                                                 check.serve_host));
  }
  EnvFactory envs(config);
  check_agent_config(config, envs);
  check_block_size(check, envs.spec(), log);
  // init.from: the run's (one policy) or each policy's own (agent.models.<name>.init.from),
  // read before the run folder exists
  const std::vector<std::optional<InitSource>> sources = read_init_sources(config, envs.spec());
  RunDir dir = RunDir::create(config.get_string("run.dir"), config.get_string("experiment"),
                              config.with_secrets_redacted());
  const fs::path run_path = dir.path();
  auto run = std::unique_ptr<TrainingRun>(new TrainingRun(config, std::move(dir), log, signals));
  std::vector<std::string> init_report;
  try {
    RunningNormalizer normalizer(envs.spec().obs_dim);
    bool loaded = false;
    for (std::size_t i = 0; i < sources.size(); ++i) {
      const ModelSpec& m = run->agent_->model(i);
      const InitOptions init = InitOptions::from_config(m.config);
      const std::string who = run->agent_->spec().single() ? "" : "model " + m.name + ": ";
      if (sources[i]) {
        RunningNormalizer part(m.spec.obs_dim);
        for (const auto& line : apply_init(*sources[i], init, *run->agent_->policy(i), &part)) {
          init_report.push_back(who + line);
        }
        if (init.load_normalizer) {
          normalizer = with_part(normalizer, part, m.obs_index);
          loaded = true;
        }
        if (run->agent_->spec().single()) {
          run->parent_ = sources[i]->parent;
        } else {
          run->parent_[m.name] = sources[i]->parent;
        }
      }
      if (!m.acts) continue;
      const auto frozen = freeze_tensors(*run->agent_->policy(i), init.freeze);
      if (!frozen.empty()) {
        init_report.push_back(
            fmt::format("{}init.freeze: {} tensors kept fixed", who, frozen.size()));
      }
    }
    if (loaded) run->learner_->set_normalizer(std::move(normalizer));
  } catch (const UserError&) {
    run.reset();  // a source that does not fit leaves no run folder, like other bad input
    std::error_code ec;
    fs::remove_all(run_path, ec);
    throw;
  }
  log.open_file(run->run_dir_.log_file());
  for (const auto& line : init_report) log.info("{}", line);
  run->telemetry_.open(run->run_dir_, run->config_, /*resumed_step=*/-1);
  run->learner_->publish();
  run->next_checkpoint_steps_ = run->opt_.checkpoint_every_steps;
  return run;
}

std::vector<LearnerModel> TrainingRun::learner_models() const {
  std::vector<LearnerModel> models;
  for (std::size_t i = 0; i < agent_->size(); ++i) {
    const ModelSpec& m = agent_->model(i);
    LearnerModel lm;
    lm.name = agent_->spec().single() ? "" : m.name;
    lm.trainer = &agent_->trainer(i);
    lm.policy = agent_->policy(i);
    lm.params = lm.policy ? &agent_->params(i) : nullptr;
    lm.slice = {m.obs_index, m.action_index, agent_->policy_column(i)};
    lm.whole = m.obs_index.empty() && m.action_index.empty();
    models.push_back(std::move(lm));
  }
  return models;
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
