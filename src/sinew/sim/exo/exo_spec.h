// An exoskeleton as a run's config describes it (configs/exo/<device>.yaml, chosen with
// exo=<device> and merged under `exo:`): a torque actuator across one joint of both legs, its
// limits, the masses strapped to the body, a motor model, the sensors its controller reads and
// the controller. Keys and meanings are in configs/exo/ankle.yaml; the fields carry SI unit
// suffixes the keys do not.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "sinew/sim/exo/assistance_profile.h"

namespace sinew {

class Config;

struct ExoSpec {
  std::string name;   // exo.name
  std::string joint;  // exo.joint: hip | knee | ankle
  // exo.direction: +1 or -1, the sign of the assistance on the joint's coordinate (OpenSim's:
  // hip flexion, knee extension and ankle dorsiflexion are +), so plantarflexion is -1
  double direction = 1;
  double max_torque_Nm = 0;             // exo.max_torque: the actuator's limit, each side
  double max_torque_rate_Nm_per_s = 0;  // exo.max_torque_rate
  struct Mass {
    std::string name;     // the key under exo.masses
    std::string segment;  // pelvis (once) | femur | tibia | calcn (each leg)
    double mass_kg = 0;
    std::array<double, 3> pos_m{};          // in the segment's frame
    std::array<double, 3> inertia_kg_m2{};  // principal moments about pos
  };
  std::vector<Mass> masses;     // exo.masses
  double motor_efficiency = 1;  // exo.motor.efficiency: mechanical / electrical when driving
  bool regeneration = false;    // exo.motor.regeneration: negative work recharges the battery
  std::string controller;       // exo.controller: profile | zero (worn, no torque)
  AssistanceProfile profile;    // exo.profile
  double sensor_delay_s = 0;    // exo.sensors.delay: of the foot load the phase estimate reads
  double load_noise_N = 0;      // exo.sensors.load_noise: sd of that load

  // The device the config describes, or none when it has no exo.name (or exo=none). Throws
  // ConfigError naming the first bad key.
  static std::optional<ExoSpec> read(const Config& config);

  // The MuJoCo names: the joint ("ankle_angle_r") and the actuator ("exo_ankle_r") of a side
  // (0 right, 1 left), and of a mass's body ("exo_ankle_shank_r").
  std::string joint_name(int side) const;
  std::string actuator_name(int side) const;
  std::string mass_body_name(const Mass& mass, int side) const;
  double total_mass_kg() const;
};

}  // namespace sinew
