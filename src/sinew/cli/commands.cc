#include "sinew/cli/commands.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>

#include "sinew/cli/config_sources.h"
#include "sinew/core/checkpoint.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/logger.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/env/env_bench.h"
#include "sinew/runtime/episode_trace.h"
#include "sinew/runtime/evaluator.h"
#include "sinew/runtime/find_checkpoint.h"
#include "sinew/runtime/learner_bench.h"
#include "sinew/runtime/training_run.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// Runs a prepared training run and prints the final checkpoint. Exit code 1 when the watchdog
// stopped it.
// $SINEW_TOKEN as serve.token unless the command line sets one: a token on the command line
// shows in `ps` to every user of the machine, one in the environment does not.
std::vector<std::string> with_env_token(std::vector<std::string> overrides) {
  const char* token = std::getenv("SINEW_TOKEN");
  if (!token || !*token) return overrides;
  for (const auto& o : overrides) {
    if (o.rfind("serve.token=", 0) == 0) return overrides;
  }
  overrides.push_back(std::string("serve.token=") + token);
  return overrides;
}

int finish_run(TrainingRun& run) {
  TrainingSummary summary = run.run();
  if (!summary.final_checkpoint.empty()) {
    std::printf("%s\n", summary.final_checkpoint.string().c_str());
  }
  return summary.watchdog_fired || !summary.checkpoint_error.empty() ? 1 : 0;
}

// `sinew eval`'s text output: one row per metric, one column per condition (the plain one
// first), numbers to 4 significant digits.
void print_eval_table(const nlohmann::json& result) {
  std::printf("checkpoint %s (step %lld), env %s, %d episodes per condition\n",
              result["checkpoint"].get<std::string>().c_str(),
              static_cast<long long>(result["step"].get<int64_t>()),
              result["env"].get<std::string>().c_str(), result["episodes"].get<int>());
  std::vector<std::string> columns = {""};
  for (const auto& name : result["conditions"]) columns.push_back(name.get<std::string>());
  auto cell = [&](const std::string& column, const std::string& metric) {
    const std::string key = column.empty() ? metric : column + "/" + metric;
    if (!result.contains(key) || !result[key].is_number()) return std::string("-");
    return fmt::format("{:.4g}", result[key].get<double>());
  };
  std::printf("  %-26s", "metric");
  for (const auto& c : columns) std::printf(" %12s", c.empty() ? "plain" : c.c_str());
  std::printf("\n");
  for (const auto& [metric, value] : result.items()) {
    if (!value.is_number() || metric == "step" || metric == "episodes") continue;
    if (std::any_of(columns.begin() + 1, columns.end(),
                    [&](const std::string& c) { return metric.rfind(c + "/", 0) == 0; })) {
      continue;  // a condition's row, shown in its column
    }
    std::printf("  %-26s", metric.c_str());
    for (const auto& c : columns) std::printf(" %12s", cell(c, metric).c_str());
    std::printf("\n");
  }
}

}  // namespace

int command_train(const std::vector<std::string>& overrides) {
  SignalWaiter signals;  // SIGINT / SIGTERM / SIGHUP stop the run gracefully from here on
  Config config = composer().compose(with_env_token(overrides));
  Logger log;
  auto run = TrainingRun::create(config, log, signals);
  return finish_run(*run);
}

int command_resume(const std::string& path, const std::vector<std::string>& overrides) {
  SignalWaiter signals;
  Logger log;
  auto run = TrainingRun::resume(path, with_env_token(overrides), log, signals);
  return finish_run(*run);
}

int command_eval(const std::string& checkpoint, const std::vector<std::string>& overrides,
                 int episodes, uint64_t seed, bool json, bool stochastic, bool conditions) {
  auto [dir, manifest] = find_checkpoint(checkpoint);
  LoadedPolicy policy = load_policy(dir, std::move(manifest));
  EvalOptions options;
  options.episodes = episodes;
  options.seed = seed;
  options.deterministic = !stochastic;
  options.conditions = conditions;
  options.env_overrides = checked_env_overrides(wear_device(&policy.config, overrides));
  nlohmann::json result = evaluate_policy(policy, options);
  result["checkpoint"] = dir.string();
  if (json) {
    std::printf("%s\n", result.dump().c_str());
    return 0;
  }
  print_eval_table(result);
  return 0;
}

int command_play(const std::string& checkpoint, const std::vector<std::string>& overrides,
                 const std::string& out, uint64_t seed) {
  fs::path out_path(out);
  const std::string ext = out_path.extension().string();
  if (ext != ".sto" && ext != ".mot" && ext != ".html" && ext != ".json") {
    throw UserError(
        fmt::format("--out {}: sinew play writes OpenSim motion files (.sto, .mot), "
                    "the gait viewer (.html) or its episode data (.json)",
                    out));
  }
  // the policy (or none) and the env it acts in
  std::optional<LoadedPolicy> policy;
  Config config;
  std::string source = checkpoint;
  if (checkpoint == "none") {
    config = composer().compose(overrides);
    source = "passive body, env " + config.get_string("env.name");
  } else {
    auto [dir, manifest] = find_checkpoint(checkpoint);
    policy = load_policy(dir, std::move(manifest));
    config = evaluation_config(policy->config,
                               checked_env_overrides(wear_device(&policy->config, overrides)));
    source = dir.string();
  }
  EnvFactory factory(config);
  ClosingEnv env(factory.make());
  std::optional<PolicyActor> actor;
  if (policy) actor.emplace(*policy, factory.spec(), seed, /*deterministic=*/true);
  PolicyActor* acting = actor ? &*actor : nullptr;

  if (ext == ".html" || ext == ".json") {
    nlohmann::json trace = record_trace(*env, acting, seed);
    trace["source"] = source;
    if (policy) trace["step"] = policy->manifest.value("step", int64_t{0});
    write_file_atomically(out_path, ext == ".json" ? trace.dump() : trace_html(trace, source));
    std::fprintf(stderr, "wrote %s: %zu frames, %.2f s%s\n", out_path.c_str(),
                 trace["frames"].size(),
                 trace["length"].get<double>() * factory.spec().control_dt_s,
                 ext == ".html" ? " (open it in a browser; it needs no network)" : "");
    return 0;
  }
  MotionTable motion = record_episode(*env, acting, seed);
  motion.write(out_path);
  std::fprintf(stderr, "wrote %s: %zu rows, %.2f s, %zu channels\n", out_path.c_str(),
               motion.rows(), motion.duration_s(), motion.labels().size());
  return 0;
}

int command_config(const std::vector<std::string>& overrides, bool origins) {
  std::map<std::string, std::string> from;
  const Config config =
      composer().compose(overrides, origins ? &from : nullptr).with_secrets_redacted();
  if (!origins) {
    std::fputs(config.to_yaml().c_str(), stdout);
    return 0;
  }
  for (const auto& key : config.leaf_keys()) {
    YAML::Emitter value;
    value << YAML::Flow << config.node(key);
    std::printf("%s = %s    # %s\n", key.c_str(), value.c_str(), from[key].c_str());
  }
  return 0;
}

int command_envs() {
  std::printf("environments (env=NAME):\n");
  for (const auto& [name, description] : EnvFactory::available()) {
    std::printf("  %-20s %s\n", name.c_str(), description.c_str());
  }
  ConfigComposer c = composer();
  std::printf("experiments (experiment=NAME):\n");
  for (const auto& name : c.options("experiment")) {
    std::printf("  %-20s %s\n", name.c_str(), c.description("experiment", name).c_str());
  }
  return 0;
}

int command_bench(const std::vector<std::string>& overrides, double seconds, bool json,
                  bool learner) {
  Config config = composer().compose(overrides);
  if (learner) {
    LearnerBenchResult r = bench_learner(config, seconds);
    if (json) {
      std::printf("%s\n", r.json.dump().c_str());
    } else {
      std::printf("%s", r.text.c_str());
    }
    return 0;
  }
  EnvFactory factory(config);
  EnvBenchResult r =
      bench_env(factory, seconds, static_cast<uint64_t>(config.get_int("trainer.seed", 0)));
  nlohmann::json out;
  out["benchmark"] = "env";
  out["env"] = factory.spec().name;
  out["seconds_per_loop"] = seconds;
  out["frame_skip"] = factory.substeps_per_step();
  out["env_steps_per_second"] = r.env_steps_per_second;
  out["raw_steps_per_second"] = r.raw_steps_per_second;
  out["raw_mj_steps_per_second"] = r.raw_mj_steps_per_second;
  out["ratio"] = r.ratio;
  out["realtime_factor"] = r.realtime_factor;
  if (json) {
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("env %s, one thread, %.1f s per loop\n", factory.spec().name.c_str(), seconds);
    std::printf("  env interface   %12.0f steps/s (%.0fx realtime)\n", r.env_steps_per_second,
                r.realtime_factor);
    std::printf("  raw mj_step     %12.0f steps/s (%d mj_step per env step)\n",
                r.raw_steps_per_second, factory.substeps_per_step());
    std::printf("  ratio           %12.3f\n", r.ratio);
  }
  return 0;
}

}  // namespace sinew
