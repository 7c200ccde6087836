#include "sinew/sim/env_factory.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/sim/gait_env.h"
#include "sinew/sim/pendulum_env.h"

namespace sinew {
namespace {

// The reward terms under env.reward: each names its measure and weight, plus parameters.
std::vector<GaitEnv::RewardTerm> read_reward(const Config& config) {
  std::vector<GaitEnv::RewardTerm> terms;
  YAML::Node reward = config.node("env.reward");
  if (!reward.IsDefined() || !reward.IsMap()) {
    throw ConfigError("env.reward", "'env.reward' must map term names to measures");
  }
  for (const auto& item : reward) {
    const std::string name = item.first.as<std::string>();
    const std::string key = "env.reward." + name;
    GaitEnv::RewardTerm term;
    term.name = name;
    term.weight = config.get_double(key + ".weight");
    const std::string measure = config.get_choice(
        key + ".measure", {"velocity", "min_velocity", "grf_limit", "joint_limit_torque",
                           "excitation_change", "active_fraction", "cubed_activation"});
    if (measure == "velocity") {
      term.measure = std::make_shared<VelocityMeasure>(config.get_double(key + ".target", 0, 100));
    } else if (measure == "min_velocity") {
      term.measure = std::make_shared<MinVelocityMeasure>(config.get_double(key + ".target", 0, 100));
    } else if (measure == "grf_limit") {
      term.measure = std::make_shared<GrfLimitMeasure>(config.get_double(key + ".threshold", 0, 100));
    } else if (measure == "joint_limit_torque") {
      term.measure = std::make_shared<JointLimitTorqueMeasure>();
    } else if (measure == "excitation_change") {
      term.measure = std::make_shared<ExcitationChangeMeasure>();
    } else if (measure == "active_fraction") {
      term.measure = std::make_shared<ActiveFractionMeasure>(config.get_double(key + ".threshold", 0, 1));
    } else {
      term.measure = std::make_shared<CubedActivationMeasure>();
    }
    terms.push_back(term);
  }
  return terms;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> EnvFactory::available() {
  return {
      {"pendulum", "torque-limited pendulum swing-up and balance (MuJoCo, 3 obs, 1 action)"},
      {"gait", "9-DOF 18-muscle sagittal human walking (Hill muscles, 121 obs, 18 excitations)"},
  };
}

EnvFactory::EnvFactory(const Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, description] : available()) names.push_back(name);
  const std::string name = config.get_choice("env.name", names);
  model_ = MujocoModel::load(resolve_model_path(config.get_string("env.model")));
  frame_skip_ = static_cast<int>(config.get_int("env.frame_skip", 1, 1000));
  const int max_steps = static_cast<int>(config.get_int("env.max_episode_steps", 1, 100000000));
  if (name == "pendulum") {
    PendulumEnv::Options o;
    o.frame_skip = frame_skip_;
    o.max_episode_steps = max_steps;
    o.action_bins = static_cast<int>(config.get_int("env.action_bins", 0, 1000));
    if (o.action_bins == 1) {
      throw ConfigError("env.action_bins", "'env.action_bins' must be 0 (continuous) or >= 2");
    }
    make_ = [model = model_, o] { return std::make_unique<PendulumEnv>(model, o); };
  } else {
    GaitEnv::Options o;
    o.frame_skip = frame_skip_;
    o.max_episode_steps = max_steps;
    o.max_excitation = config.get_double("env.max_excitation", 0.01, 1);
    o.tendon = config.get_choice("muscle.tendon", {"rigid", "elastic"}) == "rigid"
                   ? TendonModel::kRigid
                   : TendonModel::kElastic;
    o.position_noise_rad = config.get_double("env.position_noise", 0, 1);
    o.velocity_noise_radps = config.get_double("env.velocity_noise", 0, 10);
    o.random_swap = config.get_bool("env.random_swap");
    o.min_com_height_m = config.get_double("env.min_com_height", 0, 2);
    o.min_head_height_m = config.get_double("env.min_head_height", 0, 3);
    o.reward = read_reward(config);
    make_ = [model = model_, o] { return std::make_unique<GaitEnv>(model, o); };
  }
  spec_ = make()->spec();
}

}  // namespace sinew
