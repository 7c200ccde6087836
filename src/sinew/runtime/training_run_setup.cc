// How a TrainingRun is assembled: a new run's config checked against a scratch build first (so
// bad input leaves no run folder), or a resumed run's checkpoint chosen and its config's
// overrides checked; then its parts built and wired together.
#include <fmt/format.h>
#include <torch/torch.h>

#include <optional>
#include <tuple>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/core/checkpoint.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/env/observation_parts.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/runtime/policy_init.h"
#include "sinew/runtime/training_run.h"
#include "sinew/serve/control_server.h"
#include "sinew/sim/env_factory.h"
#include "sinew/transport/transport_registry.h"

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

// The newest checkpoint of a run folder that verifies, with its manifest; reports the ones
// skipped.
std::pair<fs::path, nlohmann::json> newest_verified(const fs::path& run_dir, Logger& log) {
  return newest_verified_checkpoint(run_dir / "checkpoints",
                                    [&log](const std::string& name, const std::string& why) {
                                      log.warn("skipping {}: {}", name, why);
                                    });
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
  check_observation_parts(spec);
  torch::manual_seed(opt_.seed);
  set_intra_op_threads(opt_.learner_threads);
  if (!set_blas_threads(opt_.learner_threads)) {
    log_.debug("BLAS thread count not adjustable; leaving the BLAS library's default");
  }
  // the agent's models (agent.models; one policy from algo.name without it)
  agent_ = std::make_unique<Agent>(config_, spec, opt_.seed);
  // how actors and learner exchange blocks and parameters (runtime.transport)
  std::unique_ptr<Transport> transport = make_transport(config_);
  ActorContext actor_context;
  actor_context.envs = envs_.get();
  for (std::size_t i = 0; i < agent_->size(); ++i) {
    if (!agent_->policy(i)) continue;
    const ModelSpec& m = agent_->model(i);
    actor_context.policies.push_back({&transport->params_for_actors(agent_->params(i)),
                                      agent_->policy_options(i), m.obs_index, m.action_index});
  }
  actor_context.pause_envs_after_s = opt_.pause_envs_after_s;
  actor_context.stall_actor = opt_.stall_actor;
  actor_context.fail_actor = opt_.fail_actor;
  {
    ClosingEnv probe(envs_->make());
    configure_exploration(config_, *probe, &actor_context);
  }
  workers_ = std::make_unique<RunWorkers>(opt_, std::move(transport), learner_models(),
                                          observation_normalizer(spec), std::move(actor_context),
                                          counters_, telemetry_.bus());
  checkpoints_ =
      std::make_unique<RunCheckpointer>(config_, run_dir_, opt_.keep_last, *agent_, *workers_,
                                        counters_, clock_, telemetry_.bus(), log_);
  episodes_ = std::make_unique<EpisodeRecorder>(config_, *envs_, *agent_, counters_,
                                                run_dir_.path(), opt_.episode_every_minutes, log_);
  supervisor_ = std::make_unique<RunSupervisor>(
      opt_, RunSupervisor::Parts{*workers_, *checkpoints_, *episodes_, clock_, counters_, commands_,
                                 telemetry_, signals_, log_});
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
  make_transport(config);  // runtime.transport names a registered transport
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
    nlohmann::json parent;
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
          parent = sources[i]->parent;
        } else {
          parent[m.name] = sources[i]->parent;
        }
      }
      if (!m.acts) continue;
      const auto frozen = freeze_tensors(*run->agent_->policy(i), init.freeze);
      if (!frozen.empty()) {
        init_report.push_back(
            fmt::format("{}init.freeze: {} tensors kept fixed", who, frozen.size()));
      }
    }
    if (loaded) run->workers_->learner().set_normalizer(std::move(normalizer));
    run->checkpoints_->set_parent(std::move(parent));
  } catch (const UserError&) {
    run.reset();  // a source that does not fit leaves no run folder, like other bad input
    std::error_code ec;
    fs::remove_all(run_path, ec);
    throw;
  }
  log.open_file(run->run_dir_.log_file());
  for (const auto& line : init_report) log.info("{}", line);
  run->telemetry_.open(run->run_dir_, run->config_, /*resumed_step=*/-1);
  run->workers_->learner().publish();
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

bool resume_may_change(const std::string& key) {
  for (const char* prefix : {"env.", "model.", "agent.", "algo.name", "runtime.actors",
                             "runtime.envs_per_actor", "trainer.seed", "experiment", "run.dir"}) {
    if (key.rfind(prefix, 0) == 0) return false;
  }
  // and what each algorithm's saved data depends on
  for (const auto& algorithm : algorithms().entries()) {
    for (const auto& prefix : algorithm.fixed_on_resume) {
      if (key.rfind(prefix, 0) == 0) return false;
    }
  }
  return true;
}

std::unique_ptr<TrainingRun> TrainingRun::resume(const fs::path& path,
                                                 const std::vector<std::string>& overrides,
                                                 Logger& log, SignalWaiter& signals) {
  // which checkpoint: the one given, or the newest of the run that verifies
  // (checksums are verified here, once)
  fs::path checkpoint, run_path;
  nlohmann::json manifest;
  if (fs::is_regular_file(path / "manifest.json")) {
    checkpoint = path;
    run_path = path.parent_path().parent_path();
    manifest = read_manifest(checkpoint, /*verify=*/true);
  } else if (fs::is_directory(path / "checkpoints")) {
    run_path = path;
    std::tie(checkpoint, manifest) = newest_verified(run_path, log);
  } else {
    throw UserError(fmt::format("{} is neither a run folder nor a checkpoint", path.string()));
  }

  // the saved config with safe overrides
  fs::path saved_config = checkpoint / "config.yaml";
  Config old_config = Config::from_yaml(read_text_file(saved_config), saved_config.string());
  Config config = ConfigComposer::apply_overrides(old_config, overrides);
  std::vector<std::string> changed, refused;
  for (const auto& key : config.leaf_keys()) {
    YAML::Node before = old_config.node(key), after = config.node(key);
    if (before.IsDefined() && YAML::Dump(before) == YAML::Dump(after)) continue;
    (resume_may_change(key) ? changed : refused).push_back(key);
  }
  if (!refused.empty()) {
    std::string keys;
    for (const auto& k : refused) keys += (keys.empty() ? "" : ", ") + k;
    throw UserError(
        fmt::format("resume cannot change {} (network shapes, env or actor layout "
                    "are fixed by the checkpoint); start a new run instead",
                    keys));
  }
  const int64_t step = manifest.at("counters").at("env_steps");
  if (config.get_int("trainer.total_steps") <= step) {
    throw UserError(
        fmt::format("the run already has {} of trainer.total_steps={} steps; pass a "
                    "larger trainer.total_steps to continue",
                    step, config.get_int("trainer.total_steps")));
  }

  // the run folder: drop staging leftovers and metrics written after the checkpoint
  RunDir dir = RunDir::open(run_path);
  for (const auto& entry : fs::directory_iterator(dir.checkpoints())) {
    if (entry.path().filename().string().rfind(".tmp_", 0) == 0) fs::remove_all(entry.path());
  }
  std::size_t dropped_rows = truncate_metrics_csv(dir.metrics_file(), step);
  write_file_atomically(dir.config_file(), config.with_secrets_redacted().to_yaml());

  auto run = std::unique_ptr<TrainingRun>(new TrainingRun(config, dir, log, signals));
  log.open_file(dir.log_file());
  log.info("resuming {} from {}", run_path.string(), checkpoint.filename().string());
  const Config shown = config.with_secrets_redacted();
  for (const auto& key : changed) {
    log.info("resume override {}={}", key, YAML::Dump(shown.node(key)));
  }
  if (dropped_rows > 0)
    log.info("metrics.csv: dropped {} rows written after step {}", dropped_rows, step);
  run->telemetry_.open(run->run_dir_, run->config_, step);
  run->checkpoints_->restore(checkpoint, manifest);
  for (std::size_t i = 0; i < run->agent_->size(); ++i) {
    if (!run->agent_->policy(i)) continue;
    const ModelSpec& m = run->agent_->model(i);
    const auto frozen =
        freeze_tensors(*run->agent_->policy(i), InitOptions::from_config(m.config).freeze);
    if (!frozen.empty()) {
      log.info("{}init.freeze: {} tensors kept fixed",
               run->agent_->spec().single() ? "" : "model " + m.name + ": ", frozen.size());
    }
  }
  return run;
}

}  // namespace sinew
