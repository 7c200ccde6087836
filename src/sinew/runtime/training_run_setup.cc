// How a TrainingRun is made: its config checked against a scratch build first (so bad input
// leaves no run folder), then its agent, learner, actors and queue wired together.
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
#include "sinew/runtime/training_run.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/run_api.h"
#include "sinew/serve/run_views.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;

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

}  // namespace sinew
