// Building the PPO agent from a config, and its files in a checkpoint:
//   models/actor_critic.pt            policy and value parameters (torch::save)
//   trainers/ppo_optimizer.pt         Adam state (torch::save)
//   interaction/agent/obs_normalizer.json
//   config.yaml                       the resolved config
#pragma once

#include <filesystem>

#include "sinew/algo/ppo_trainer.h"
#include "sinew/core/config.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/running_normalizer.h"
#include "sinew/runtime/checkpoint.h"
#include "sinew/sim/env.h"

namespace sinew {

// model.* keys plus the env's shapes. Throws ConfigError.
ActorCriticOptions actor_critic_options(const Config& config, const EnvSpec& spec);

// Stages the agent's files (and config.yaml) into `writer`.
void save_agent(CheckpointWriter* writer, PpoTrainer& trainer, const RunningNormalizer& normalizer,
                const Config& config);

// A trained policy read back from a verified checkpoint.
struct LoadedPolicy {
  Config config;
  nlohmann::json manifest;
  ActorCritic model{nullptr};
  RunningNormalizer normalizer;
};

// Verifies the manifest and checksums, then loads config, parameters and statistics.
// Throws UserError naming the folder and file on any problem.
LoadedPolicy load_policy(const std::filesystem::path& checkpoint_dir);

}  // namespace sinew
