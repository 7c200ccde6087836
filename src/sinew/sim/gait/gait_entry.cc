#include "sinew/sim/gait/gait_entry.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/sim/exo/exo_model.h"
#include "sinew/sim/exo/exo_spec.h"
#include "sinew/sim/gait/gait_env.h"
#include "sinew/sim/gait/measures/measure_registry.h"
#include "sinew/sim/motion_table.h"
#include "sinew/sim/mujoco_env_maker.h"

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
    const MeasureKeys keys{config, key, reference};
    GaitEnv::RewardTerm term;
    term.name = name;
    term.weight = config.get_double(key + ".weight");
    term.shaping.offset = keys.optional("shaping_offset", 0);
    term.shaping.threshold = keys.optional("shaping_threshold", 0);
    term.shaping.transition = keys.optional("shaping_transition", 0);
    term.make = measure_registry().at(keys).read(keys);
    terms.push_back(std::move(term));
  }
  return terms;
}

}  // namespace

EnvEntry gait_entry() {
  EnvEntry e;
  e.name = "gait";
  e.description = "9-DOF 18-muscle sagittal human walking (Hill muscles, 121 obs, 18 excitations)";
  e.make = [](const Config& config) -> std::unique_ptr<EnvMaker> {
    // the body, with the device on it when the config chooses one (exo=<device>)
    const std::optional<ExoSpec> exo = ExoSpec::read(config);
    std::shared_ptr<const MujocoModel> model;
    if (exo) {
      const auto path = resolve_model_path(config.get_string("env.model"));
      model = MujocoModel::from_xml(add_exo_to_mjcf(read_text_file(path), *exo, path.string()),
                                    fmt::format("{} with exo={}", path.string(), exo->name));
    } else {
      model = MujocoEnvMaker::load_model(config);
    }
    const int frame_skip = MujocoEnvMaker::frame_skip(config);
    GaitEnv::Options o;
    o.frame_skip = frame_skip;
    o.max_episode_steps = MujocoEnvMaker::max_episode_steps(config);
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
    // runs saved before gait initiation have no start ramp
    o.start_ramp_s = config.has("env.start_ramp") ? config.get_double("env.start_ramp", 0, 60) : 0;
    if (o.start_from_reference || o.phase_observation) o.reference = reference();
    o.push.impulse_Ns = config.get_double("env.push.impulse_Ns", -1e4, 1e4);
    o.push.after_s = config.get_double("env.push.after_s", 0, 1e6);
    o.push.duration_s = config.get_double("env.push.duration_s", 1e-3, 10);
    o.exo = exo;
    return std::make_unique<MujocoEnvMaker>(
        model, frame_skip, [model, o] { return std::make_unique<GaitEnv>(model, o); });
  };
  return e;
}

}  // namespace sinew
