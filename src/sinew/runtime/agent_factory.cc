#include "sinew/runtime/agent_factory.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <fstream>

#include "sinew/algo/agent/agent.h"
#include "sinew/algo/algorithm_registry.h"
#include "sinew/algo/dep_exploration.h"
#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/env/sensor_names.h"
#include "sinew/nn/checkpoint_files.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {
constexpr const char* kNormalizerFile = "interaction/agent/obs_normalizer.json";
constexpr const char* kConfigFile = "config.yaml";

}  // namespace

void check_agent_config(const Config& config, const EnvFactory& envs) {
  ActorContext context;
  context.policies.push_back({nullptr, actor_critic_options(config, envs.spec()), {}, {}});
  const AlgorithmEntry& algorithm = algorithms().at(config);
  algorithm.check_config(config);
  if (config.has("runtime.synchronous") && config.get_bool("runtime.synchronous") &&
      algorithm.off_policy) {
    throw ConfigError("runtime.synchronous",
                      fmt::format("runtime.synchronous=true: algo.name={} learns from a replay "
                                  "buffer and has no batches for the actors to wait for; "
                                  "synchronous acting is for on-policy algorithms (ppo)",
                                  algorithm.name));
  }
  check_agent_models(config, envs.spec());
  if (config.has("algo.dep.enabled") && algorithm.off_policy &&
      config.get_bool("algo.dep.enabled") &&
      !AgentSpec::from_config(config, envs.spec()).single()) {
    throw ConfigError("algo.dep.enabled",
                      "algo.dep.enabled=true: DEP exploration drives the whole body; it is for "
                      "an agent of one policy (no agent.models)");
  }
  ClosingEnv probe(envs.make());
  configure_exploration(config, *probe, &context);
}

std::unique_ptr<Algorithm> make_algorithm(const Config& config, const EnvSpec& spec,
                                          uint64_t seed) {
  return algorithms().at(config).make(config, spec, actor_critic_options(config, spec), seed);
}

bool clip_action_mapping(const Config& config) {
  return config.has("algo.action_mapping") &&
         config.get_choice("algo.action_mapping", {"linear", "clip"}) == "clip";
}

void configure_exploration(const Config& config, const Env& probe, ActorContext* context) {
  context->normalized_actions = context->policies.front().options.state_dependent_std;
  context->clip_actions = clip_action_mapping(config);
  if (!algorithms().at(config).off_policy || !config.get_bool("algo.dep.enabled")) return;
  std::vector<double> lengths, forces;
  if (!probe.read_sensor(kSensorMuscleFiberLength, &lengths) ||
      !probe.read_sensor(kSensorMuscleForce, &forces)) {
    throw ConfigError("algo.dep.enabled",
                      fmt::format("algo.dep.enabled=true: DEP exploration needs a muscle-driven "
                                  "env; {} has no muscles",
                                  probe.spec().name));
  }
  const DepOptions d = DepOptions::from_config(config);
  const DepSwitchingOptions s = DepSwitchingOptions::from_config(config);
  const int muscles = probe.spec().action_dim;
  context->exploration = [muscles, d, s](uint64_t seed) -> std::unique_ptr<Exploration> {
    return std::make_unique<DepExploration>(muscles, d, s, seed);
  };
}

void save_agent_files(CheckpointWriter* writer, const RunningNormalizer& normalizer,
                      const Config& config) {
  write_file(writer->file(kNormalizerFile), normalizer.to_json());
  write_file(writer->file(kConfigFile), config.to_yaml());
}

void save_agent(CheckpointWriter* writer, const Algorithm& algorithm,
                const RunningNormalizer& normalizer, const Config& config) {
  algorithm.save(writer);
  save_agent_files(writer, normalizer, config);
}

LoadedPolicy load_policy(const fs::path& checkpoint_dir) {
  return load_policy(checkpoint_dir, read_manifest(checkpoint_dir, /*verify=*/true));
}

LoadedPolicy load_policy(const fs::path& checkpoint_dir, nlohmann::json verified_manifest) {
  LoadedPolicy loaded;
  loaded.manifest = std::move(verified_manifest);
  fs::path config_path = checkpoint_dir / kConfigFile;
  loaded.config = Config::from_yaml(read_text_file(config_path), config_path.string());
  EnvFactory envs(loaded.config);
  const AgentSpec agent = AgentSpec::from_config(loaded.config, envs.spec());
  for (const ModelSpec& m : agent.models()) {
    if (!m.acts) continue;
    LoadedPart part{ActorCritic(actor_critic_options(m.config, m.spec)), m.obs_index,
                    m.action_index};
    load_torch(part.model,
               checkpoint_dir / model_folder(agent, m) / algorithms().at(m.config).policy_file);
    part.model->eval();
    loaded.parts.push_back(std::move(part));
  }
  loaded.model = loaded.parts.front().model;
  if (agent.single()) loaded.parts.clear();
  fs::path normalizer_path = checkpoint_dir / kNormalizerFile;
  loaded.normalizer = RunningNormalizer::from_json(read_text_file(normalizer_path),
                                                   envs.spec().obs_dim, normalizer_path.string());
  return loaded;
}

}  // namespace sinew
