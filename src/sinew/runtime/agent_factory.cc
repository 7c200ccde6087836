#include "sinew/runtime/agent_factory.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <fstream>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {
constexpr const char* kModelFile = "models/actor_critic.pt";
constexpr const char* kOptimizerFile = "trainers/ppo_optimizer.pt";
constexpr const char* kNormalizerFile = "interaction/agent/obs_normalizer.json";
constexpr const char* kConfigFile = "config.yaml";
}  // namespace

ActorCriticOptions actor_critic_options(const Config& config, const EnvSpec& spec) {
  ActorCriticOptions o;
  o.obs_dim = spec.obs_dim;
  o.action_dim = spec.action_dim;
  o.num_actions = spec.num_actions;
  o.hidden = config.get_int_list("model.hidden", 1, 1 << 16);
  o.activation = config.get_choice("model.activation", {"tanh", "relu"});
  o.init_log_std = config.get_double("model.init_log_std", -20, 5);
  return o;
}

void save_agent(CheckpointWriter* writer, PpoTrainer& trainer, const RunningNormalizer& normalizer,
                const Config& config) {
  torch::save(trainer.model(), writer->file(kModelFile).string());
  torch::save(trainer.optimizer(), writer->file(kOptimizerFile).string());
  {
    std::ofstream out(writer->file(kNormalizerFile));
    out << normalizer.to_json();
  }
  std::ofstream(writer->file(kConfigFile)) << config.to_yaml();
}

LoadedPolicy load_policy(const fs::path& checkpoint_dir) {
  LoadedPolicy loaded;
  loaded.manifest = read_manifest(checkpoint_dir, /*verify=*/true);
  fs::path config_path = checkpoint_dir / kConfigFile;
  loaded.config = Config::from_yaml(read_text_file(config_path), config_path.string());
  EnvFactory envs(loaded.config);
  loaded.model = ActorCritic(actor_critic_options(loaded.config, envs.spec()));
  fs::path model_path = checkpoint_dir / kModelFile;
  try {
    torch::load(loaded.model, model_path.string());
  } catch (const c10::Error& e) {
    throw UserError(fmt::format("{}: cannot load parameters: {}", model_path.string(),
                                e.what_without_backtrace()));
  }
  loaded.model->eval();
  fs::path normalizer_path = checkpoint_dir / kNormalizerFile;
  loaded.normalizer = RunningNormalizer::from_json(read_text_file(normalizer_path),
                                                   envs.spec().obs_dim, normalizer_path.string());
  return loaded;
}

}  // namespace sinew
