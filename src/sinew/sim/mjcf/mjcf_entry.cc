#include "sinew/sim/mjcf/mjcf_entry.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/sim/mjcf/mjcf_env.h"
#include "sinew/sim/mujoco_env_maker.h"

namespace sinew {
namespace {

// A list of names (env.hidden_joints); absent or empty gives none.
std::vector<std::string> string_list(const Config& config, const std::string& key) {
  std::vector<std::string> out;
  YAML::Node node = config.node(key);
  if (!node || node.IsNull()) return out;
  if (!node.IsSequence()) throw ConfigError(key, fmt::format("{}: expected a list of names", key));
  for (const auto& item : node) {
    if (!item.IsScalar()) throw ConfigError(key, fmt::format("{}: expected a list of names", key));
    out.push_back(item.Scalar());
  }
  return out;
}

// A list of {joint, low, high} (env.healthy_joints).
std::vector<MjcfEnv::Options::Range> healthy_ranges(const Config& config, const std::string& key) {
  std::vector<MjcfEnv::Options::Range> out;
  YAML::Node node = config.node(key);
  if (!node || node.IsNull()) return out;
  const std::string expected =
      fmt::format("{}: expected a list of {{joint: <name>, low: <m or rad>, high: ...}}", key);
  if (!node.IsSequence()) throw ConfigError(key, expected);
  for (const auto& item : node) {
    if (!item.IsMap() || !item["joint"] || !item["low"] || !item["high"] || item.size() != 3) {
      throw ConfigError(key, expected);
    }
    MjcfEnv::Options::Range r;
    try {
      r.joint = item["joint"].as<std::string>();
      r.low = item["low"].as<double>();
      r.high = item["high"].as<double>();
    } catch (const YAML::Exception&) {
      throw ConfigError(key, expected);
    }
    if (!(r.low <= r.high)) {
      throw ConfigError(key,
                        fmt::format("{}: {} low {} is above high {}", key, r.joint, r.low, r.high));
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace

EnvEntry mjcf_entry() {
  EnvEntry e;
  e.name = "mjcf";
  e.description = "any MuJoCo model: env.model=<path.xml>, actuators scaled to [-1, 1]";
  e.make = [](const Config& config) -> std::unique_ptr<EnvMaker> {
    auto model = MujocoEnvMaker::load_model(config);
    const int frame_skip = MujocoEnvMaker::frame_skip(config);
    MjcfEnv::Options o;
    o.frame_skip = frame_skip;
    o.max_episode_steps = MujocoEnvMaker::max_episode_steps(config);
    o.exclude_root_xy = config.get_bool("env.exclude_root_xy");
    o.velocity_clip = config.get_double("env.velocity_clip", 0, 1e9);
    o.body = config.get_string("env.body");
    o.forward_weight = config.get_double("env.forward_weight");
    o.alive_bonus = config.get_double("env.alive_bonus");
    o.control_cost = config.get_double("env.control_cost");
    o.min_height_m = config.get_double("env.min_height");
    o.max_height_m = config.get_double("env.max_height");
    o.max_tilt_deg = config.get_double("env.max_tilt_deg", 0, 180);
    o.reset_noise = config.get_double("env.reset_noise", 0, 10);
    o.velocity_of_body = config.get_choice("env.velocity_of", {"subtree_com", "body"}) == "body";
    o.alive_bonus_on_end = config.get_bool("env.alive_bonus_on_end");
    o.hidden_joints = string_list(config, "env.hidden_joints");
    o.healthy_joints = healthy_ranges(config, "env.healthy_joints");
    return std::make_unique<MujocoEnvMaker>(
        model, frame_skip, [model, o] { return std::make_unique<MjcfEnv>(model, o); });
  };
  return e;
}

}  // namespace sinew
