// Whole-system checkpoints and resume for TrainingRun (see training_run.h and DESIGN.md):
//   models/, trainers/, data/...            a run of one policy: its algorithm's files
//                                           (algo/ppo/ppo_algorithm.h, algo/mpo/mpo_algorithm.h)
//   agent/<name>/models/, ...               an agent of several models (agent.models): each
//                                           model's files (algo/agent/agent.h)
//   data/learner_state.bin                  version, counters, obs statistics
//   interaction/agent/obs_normalizer.json   obs statistics (read by eval)
//   interaction/environment/actor_<i>.bin   envs mid-episode, observations, action noise stream,
//                                           DEP controllers and switching
//   config.yaml                             the resolved config
#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <tuple>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/core/checkpoint.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/checkpoint_files.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/runtime/policy_init.h"
#include "sinew/runtime/training_run.h"

namespace sinew {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kLearnerFile = "data/learner_state.bin";

std::string actor_file(std::size_t i) {
  return fmt::format("interaction/environment/actor_{}.bin", i);
}

int64_t folder_bytes(const fs::path& dir) {
  int64_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) total += static_cast<int64_t>(e.file_size());
  }
  return total;
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

fs::path TrainingRun::save_checkpoint(const std::string& reason,
                                      const std::vector<bool>& actors_saved) {
  auto start = Clock::now();
  const int64_t step = env_steps_.load();
  const double clock = run_clock_s();
  // a clean cut in metrics.csv: everything up to this step is written before the checkpoint
  telemetry_.bus().flush(step, clock);

  CheckpointWriter writer(run_dir_.checkpoints(), step);
  agent_->save(&writer);
  save_agent_files(&writer, learner_->normalizer(), config_);
  write_file(writer.file(kLearnerFile), learner_->save_state());
  nlohmann::json saved = nlohmann::json::array();
  for (std::size_t i = 0; i < actors_.size(); ++i) {
    saved.push_back(static_cast<bool>(actors_saved[i]));
    if (actors_saved[i]) write_file(writer.file(actor_file(i)), actors_[i]->save_state());
  }
  nlohmann::json meta;
  meta["config_hash"] = config_.hash();
  meta["wall_time_s"] = clock;
  meta["reason"] = reason;
  meta["actors_saved"] = saved;
  if (!parent_.is_null()) meta["parent"] = parent_;
  meta["counters"] = {{"env_steps", step},
                      {"episodes", episodes_.load()},
                      {"learner_version", learner_->version()},
                      {"dropped_blocks", learner_->dropped_blocks()}};
  fs::path path = writer.commit(meta);
  prune_checkpoints(run_dir_.checkpoints(), opt_.keep_last);

  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t bytes = folder_bytes(path);
  telemetry_.bus().record("checkpoint/seconds", seconds);
  telemetry_.bus().record("checkpoint/bytes", static_cast<double>(bytes));
  {
    std::lock_guard lock(status_mutex_);
    last_checkpoint_ = path.string();
    last_checkpoint_step_ = step;
  }
  last_checkpoint_clock_s_ = clock;
  log_.info("checkpoint {} ({}, {:.1f} kB, {:.3f} s)", path.string(), reason, bytes / 1e3, seconds);
  return path;
}

void TrainingRun::restore(const fs::path& checkpoint, const nlohmann::json& manifest) {
  auto start = Clock::now();
  agent_->load(checkpoint);
  learner_->load_state(read_text_file(checkpoint / kLearnerFile),
                       (checkpoint / kLearnerFile).string());
  for (std::size_t i = 0; i < actors_.size(); ++i) {
    fs::path file = checkpoint / actor_file(i);
    if (fs::is_regular_file(file)) {
      actors_[i]->load_state(read_text_file(file), file.string());
    } else {
      log_.warn("no saved state for actor {}: its envs start new episodes", i);
    }
  }
  const auto& counters = manifest.at("counters");
  env_steps_.store(counters.at("env_steps").get<int64_t>());
  steps_claimed_.store(env_steps_.load());
  episodes_.store(counters.at("episodes").get<int64_t>());
  clock_base_s_ = manifest.value("wall_time_s", 0.0);
  if (manifest.contains("parent")) parent_ = manifest["parent"];
  learner_->publish();
  {
    std::lock_guard lock(status_mutex_);
    last_checkpoint_ = checkpoint.string();
    last_checkpoint_step_ = env_steps_.load();
  }
  const int64_t every = opt_.checkpoint_every_steps;
  next_checkpoint_steps_ = every > 0 ? (env_steps_.load() / every + 1) * every : 0;
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  telemetry_.bus().record("checkpoint/restore_seconds", seconds);
  log_.info("restored {} (step {}, learner version {}) in {:.3f} s", checkpoint.string(),
            env_steps_.load(), learner_->version(), seconds);
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
  run->restore(checkpoint, manifest);
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
