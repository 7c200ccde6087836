#include "sinew/sim/exo/exo_spec.h"

#include <fmt/format.h>

#include "sinew/core/config.h"
#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {
namespace {

const char* kSides[] = {"r", "l"};

// three numbers at `key`, e.g. pos: [0, 0, -0.2]
std::array<double, 3> read_triple(const Config& config, const std::string& key) {
  const YAML::Node node = config.node(key);
  std::array<double, 3> out{};
  bool ok = node.IsDefined() && node.IsSequence() && node.size() == 3;
  for (std::size_t i = 0; ok && i < 3; ++i) {
    const auto value = node[i].IsScalar() ? parse_double(node[i].Scalar()) : std::nullopt;
    ok = value.has_value() && std::isfinite(*value);
    if (ok) out[i] = *value;
  }
  if (!ok)
    throw ConfigError(key, fmt::format("'{}' must be three numbers, e.g. [0, 0, -0.2]", key));
  return out;
}

}  // namespace

std::optional<ExoSpec> ExoSpec::read(const Config& config) {
  if (!config.has("exo.name") || config.get_string("exo.name") == "none") return std::nullopt;
  ExoSpec s;
  s.name = config.get_string("exo.name");
  s.joint = config.get_choice("exo.joint", {"hip", "knee", "ankle"});
  s.direction = config.get_double("exo.direction", -1, 1);
  if (s.direction != 1 && s.direction != -1) {
    throw ConfigError("exo.direction", "'exo.direction' must be 1 or -1");
  }
  s.max_torque_Nm = config.get_double("exo.max_torque", 1e-3, 1000);
  s.max_torque_rate_Nm_per_s = config.get_double("exo.max_torque_rate", 1e-3, 1e6);
  const YAML::Node masses = config.node("exo.masses");
  if (masses.IsDefined() && !masses.IsNull()) {
    if (!masses.IsMap()) {
      throw ConfigError("exo.masses", "'exo.masses' must map names to {segment, mass, pos}");
    }
    for (const auto& item : masses) {
      Mass m;
      m.name = item.first.as<std::string>();
      const std::string key = "exo.masses." + m.name;
      m.segment = config.get_choice(key + ".segment", {"pelvis", "femur", "tibia", "calcn"});
      m.mass_kg = config.get_double(key + ".mass", 0, 100);
      m.pos_m = read_triple(config, key + ".pos");
      m.inertia_kg_m2 = read_triple(config, key + ".inertia");
      for (double inertia : m.inertia_kg_m2) {
        if (inertia < 0) {
          throw ConfigError(key + ".inertia",
                            fmt::format("'{}.inertia' must not be negative", key));
        }
      }
      if (m.mass_kg > 0 &&
          (m.inertia_kg_m2[0] <= 0 || m.inertia_kg_m2[1] <= 0 || m.inertia_kg_m2[2] <= 0)) {
        throw ConfigError(key + ".inertia",
                          fmt::format("'{}.inertia' must be above 0 for a mass above 0", key));
      }
      s.masses.push_back(m);
    }
  }
  s.motor_efficiency = config.get_double("exo.motor.efficiency", 0.01, 1);
  s.regeneration = config.get_bool("exo.motor.regeneration");
  s.controller = config.get_choice("exo.controller", {"profile", "zero"});
  s.profile.peak_torque_Nm = config.get_double("exo.profile.peak_torque", 0, s.max_torque_Nm);
  s.profile.peak_time = config.get_double("exo.profile.peak_time");
  s.profile.rise_time = config.get_double("exo.profile.rise_time");
  s.profile.fall_time = config.get_double("exo.profile.fall_time");
  s.profile.check("exo.profile");
  s.sensor_delay_s = config.get_double("exo.sensors.delay", 0, 1);
  s.load_noise_N = config.get_double("exo.sensors.load_noise", 0, 1e4);
  return s;
}

std::string ExoSpec::joint_name(int side) const {
  const std::string coordinate = joint == "hip"     ? "hip_flexion"
                                 : joint == "knee"  ? "knee_angle"
                                 : joint == "ankle" ? "ankle_angle"
                                                    : joint;
  return fmt::format("{}_{}", coordinate, kSides[side]);
}

std::string ExoSpec::actuator_name(int side) const {
  return fmt::format("exo_{}_{}", joint, kSides[side]);
}

std::string ExoSpec::mass_body_name(const Mass& mass, int side) const {
  if (mass.segment == "pelvis") return fmt::format("exo_{}_{}", joint, mass.name);
  return fmt::format("exo_{}_{}_{}", joint, mass.name, kSides[side]);
}

double ExoSpec::total_mass_kg() const {
  double total = 0;
  for (const auto& m : masses) total += m.segment == "pelvis" ? m.mass_kg : 2 * m.mass_kg;
  return total;
}

}  // namespace sinew
