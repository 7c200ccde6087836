// Building the agent (the algorithm algo.name selects from the registry, DEP exploration) from a
// config, and its files in a checkpoint: the algorithm's own (algo/<name>/), plus
//   interaction/agent/obs_normalizer.json
//   config.yaml                       the resolved config
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "sinew/algo/agent/policy_options.h"
#include "sinew/algo/algorithm.h"
#include "sinew/core/checkpoint.h"
#include "sinew/core/config.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/env/env.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/runtime/actor.h"
#include "sinew/sim/env_factory.h"

namespace sinew {

// Reads every algo.* and model.* key the agent uses without building it (no networks, no
// replay memory); throws ConfigError like the builders below.
void check_agent_config(const Config& config, const EnvFactory& envs);

// The learner side of algo.name (algorithm_registry.h). Throws ConfigError on bad algo.*
// values.
std::unique_ptr<Algorithm> make_algorithm(const Config& config, const EnvSpec& spec, uint64_t seed);

// True when algo.action_mapping is `clip`: a [-1, 1] policy's actions go to the env as they
// are and the env clips them to its bounds, instead of a linear map onto the bounds.
bool clip_action_mapping(const Config& config);

// The actor side: action mapping and DEP exploration (algo.dep.*) into `context`. Throws
// ConfigError when DEP is asked for on an env without muscles (`probe` is one of its envs).
void configure_exploration(const Config& config, const Env& probe, ActorContext* context);

// Stages what every checkpoint of an agent holds beside its models' own files (Agent::save):
// the observation statistics and config.yaml. Only while the learner is parked or not running.
// Throws std::runtime_error on I/O errors.
void save_agent_files(CheckpointWriter* writer, const RunningNormalizer& normalizer,
                      const Config& config);
// An agent of one algorithm: its files in the plain layout, then the above.
void save_agent(CheckpointWriter* writer, const Algorithm& algorithm,
                const RunningNormalizer& normalizer, const Config& config);

// One policy of an agent of several models and the parts of the env's observation and action
// it reads and writes.
struct LoadedPart {
  ActorCritic model{nullptr};
  std::vector<int> obs_index;     // ascending; empty: the whole observation
  std::vector<int> action_index;  // ascending; empty: every action
};

// A trained policy read back from a verified checkpoint.
struct LoadedPolicy {
  Config config;
  nlohmann::json manifest;
  ActorCritic model{nullptr};  // the policy (with several, the first)
  // an agent of several policies (agent.models): every policy with its parts, in agent order;
  // empty for a run of one policy, which is `model` over the whole body
  std::vector<LoadedPart> parts;
  RunningNormalizer normalizer;  // statistics of the whole observation
};

// Verifies the manifest and checksums, then loads config, parameters and statistics.
// Throws UserError naming the folder and file on any problem.
LoadedPolicy load_policy(const std::filesystem::path& checkpoint_dir);
// The same from a folder whose manifest was just verified (read_manifest(dir, true) or
// newest_verified_checkpoint), so its files are not hashed a second time.
LoadedPolicy load_policy(const std::filesystem::path& checkpoint_dir,
                         nlohmann::json verified_manifest);

}  // namespace sinew
