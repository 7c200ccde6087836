#include "sinew/sim/env_factory.h"

#include <fmt/format.h>

#include <functional>

#include "sinew/core/errors.h"
#include "sinew/sim/gait_env.h"
#include "sinew/sim/mjcf_env.h"
#include "sinew/sim/motion_table.h"
#include "sinew/sim/pendulum_env.h"

namespace sinew {
namespace {

// The reward terms under env.reward: each names its measure and weight, plus parameters and
// optional SCONE shaping (shaping_offset, shaping_threshold, shaping_transition).
std::vector<GaitEnv::RewardTerm> read_reward(
    const Config& config,
    const std::function<std::shared_ptr<const ReferenceMotion>()>& reference) {
  std::vector<GaitEnv::RewardTerm> terms;
  YAML::Node reward = config.node("env.reward");
  if (!reward.IsDefined() || !reward.IsMap()) {
    throw ConfigError("env.reward", "'env.reward' must map term names to measures");
  }
  for (const auto& item : reward) {
    const std::string name = item.first.as<std::string>();
    const std::string key = "env.reward." + name;
    auto number = [&](const std::string& sub, double lo, double hi) {
      return config.get_double(key + "." + sub, lo, hi);
    };
    auto optional = [&](const std::string& sub, double fallback) {
      return config.has(key + "." + sub) ? config.get_double(key + "." + sub) : fallback;
    };
    GaitEnv::RewardTerm term;
    term.name = name;
    term.weight = config.get_double(key + ".weight");
    term.shaping.offset = optional("shaping_offset", 0);
    term.shaping.threshold = optional("shaping_threshold", 0);
    term.shaping.transition = optional("shaping_transition", 0);
    const std::string measure = config.get_choice(
        key + ".measure", {"velocity", "min_velocity", "grf_limit", "joint_limit_torque",
                           "excitation_change", "active_fraction", "cubed_activation", "metabolic",
                           "dof_limit", "angular_velocity", "mimic", "tracking"});
    if (measure == "velocity") {
      double target = number("target", 0, 100);
      term.make = [target] { return std::make_unique<VelocityMeasure>(target); };
    } else if (measure == "min_velocity") {
      double target = number("target", 0, 100);
      term.make = [target] { return std::make_unique<MinVelocityMeasure>(target); };
    } else if (measure == "grf_limit") {
      double threshold = number("threshold", 0, 100);
      double start = optional("start_s", 0);
      term.make = [=] { return std::make_unique<GrfLimitMeasure>(threshold, start); };
    } else if (measure == "joint_limit_torque") {
      term.make = [] { return std::make_unique<JointLimitTorqueMeasure>(); };
    } else if (measure == "excitation_change") {
      term.make = [] { return std::make_unique<ExcitationChangeMeasure>(); };
    } else if (measure == "active_fraction") {
      double threshold = number("threshold", 0, 1);
      term.make = [threshold] { return std::make_unique<ActiveFractionMeasure>(threshold); };
    } else if (measure == "cubed_activation") {
      term.make = [] { return std::make_unique<CubedActivationMeasure>(); };
    } else if (measure == "metabolic") {
      bool per_kg = config.get_bool(key + ".per_kg");
      term.make = [per_kg] { return std::make_unique<MetabolicMeasure>(per_kg); };
    } else if (measure == "dof_limit") {
      std::string dof = config.get_choice(
          key + ".dof", {"pelvis_tilt", "hip_flexion_r", "knee_angle_r", "ankle_angle_r",
                         "hip_flexion_l", "knee_angle_l", "ankle_angle_l"});
      double lower = number("lower_deg", -360, 360) * M_PI / 180;
      double upper = number("upper_deg", -360, 360) * M_PI / 180;
      bool squared = config.get_bool(key + ".squared");
      term.make = [=] { return std::make_unique<DofLimitMeasure>(dof, lower, upper, squared); };
    } else if (measure == "angular_velocity") {
      int axis = static_cast<int>(config.get_int(key + ".axis", -1, 2));
      bool squared = config.get_bool(key + ".squared");
      term.make = [=] { return std::make_unique<AngularVelocityMeasure>(axis, squared); };
    } else if (measure == "tracking") {
      const std::string channel =
          config.get_choice(key + ".channel", {"positions", "velocities", "com_velocity"});
      const auto kind = channel == "positions"    ? TrackingMeasure::Channel::kPositions
                        : channel == "velocities" ? TrackingMeasure::Channel::kVelocities
                                                  : TrackingMeasure::Channel::kComVelocity;
      const double scale = number("scale", 1e-9, 1e9);
      const double termination = optional("termination_rms_deg", 0);
      if (termination < 0) {
        throw ConfigError(key + ".termination_rms_deg",
                          "'" + key + ".termination_rms_deg' must be >= 0");
      }
      auto motion = reference();
      TrackingMeasure check(motion, kind, scale, termination);  // reference checks, once
      term.make = [=] {
        return std::make_unique<TrackingMeasure>(motion, kind, scale, termination);
      };
    } else {
      auto motion = std::make_shared<const MotionTable>(
          MotionTable::read(resolve_motion_path(config.get_string(key + ".file"))));
      double activation_weight = number("activation_weight", 0, 1e6);
      double average_limit = number("average_limit", 0, 1e6);
      double peak_limit = number("peak_limit", 0, 1e6);
      term.make = [=] {
        return std::make_unique<MimicMeasure>(*motion, activation_weight, average_limit,
                                              peak_limit);
      };
    }
    terms.push_back(std::move(term));
  }
  return terms;
}

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
      throw ConfigError(key, fmt::format("{}: {} low {} is above high {}", key, r.joint, r.low,
                                         r.high));
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> EnvFactory::available() {
  return {
      {"pendulum", "torque-limited pendulum swing-up and balance (MuJoCo, 3 obs, 1 action)"},
      {"gait", "9-DOF 18-muscle sagittal human walking (Hill muscles, 121 obs, 18 excitations)"},
      {"mjcf", "any MuJoCo model: env.model=<path.xml>, actuators scaled to [-1, 1]"},
  };
}

EnvFactory::EnvFactory(const Config& config) {
  std::vector<std::string> names;
  for (const auto& [name, description] : available()) names.push_back(name);
  const std::string name = config.get_choice("env.name", names);
  try {
    model_ = MujocoModel::load(resolve_model_path(config.get_string("env.model")));
  } catch (const ConfigError&) {
    throw;
  } catch (const UserError& e) {
    throw ConfigError("env.model", fmt::format("env.model: {}", e.what()));
  }
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
  } else if (name == "mjcf") {
    MjcfEnv::Options o;
    o.frame_skip = frame_skip_;
    o.max_episode_steps = max_steps;
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
    make_ = [model = model_, o] { return std::make_unique<MjcfEnv>(model, o); };
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
    o.max_torso_lean_deg = config.get_double("env.max_torso_lean_deg", 0, 180);
    o.measure_termination = config.get_bool("env.measure_termination");
    const char* joints[] = {"hip", "knee", "ankle"};
    for (int k = 0; k < 3; ++k) {
      const std::string key = fmt::format("env.joint_limits.{}.", joints[k]);
      auto& limit = o.joint_limits[k];
      limit.lower_deg = config.get_double(key + "lower_deg", -180, 180);
      limit.upper_deg = config.get_double(key + "upper_deg", limit.lower_deg, 180);
      limit.stiffness_Nm_per_rad = config.get_double(key + "stiffness", 0, 1e6);
      limit.damping_Nms_per_rad = config.get_double(key + "damping", 0, 1e6);
    }
    // the reference motion, read once when something uses it
    auto reference = [&config, cache = std::shared_ptr<const ReferenceMotion>()]() mutable {
      if (!cache) {
        cache = std::make_shared<const ReferenceMotion>(
            MotionTable::read(resolve_motion_path(config.get_string("env.reference"))));
      }
      return cache;
    };
    o.reward = read_reward(config, reference);
    o.normative = std::make_shared<const NormativeGait>(
        NormativeGait::read(resolve_motion_path(config.get_string("env.normative"))));
    o.start_from_reference = config.get_choice("env.init_pose", {"stand", "motion"}) == "motion";
    o.standing_start_fraction = config.get_double("env.standing_start_fraction", 0, 1);
    o.phase_observation = config.get_bool("env.phase_observation");
    if (o.start_from_reference || o.phase_observation) o.reference = reference();
    o.push.impulse_Ns = config.get_double("env.push.impulse_Ns", -1e4, 1e4);
    o.push.after_s = config.get_double("env.push.after_s", 0, 1e6);
    o.push.duration_s = config.get_double("env.push.duration_s", 1e-3, 10);
    make_ = [model = model_, o] { return std::make_unique<GaitEnv>(model, o); };
  }
  spec_ = make()->spec();
}

}  // namespace sinew
