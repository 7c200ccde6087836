// The study a gait lab runs with a device (`sinew exo-study`): a trained walker walks the same
// episodes without the device and wearing it, and the report says what the device changed.
//   study.json   metabolic_change (fraction, negative = saving), energy_ratio (metabolic saving /
//                positive device work, both per metre; null under 1 J per stride),
//                device_positive_work_j_per_stride, device_negative_work_j_per_stride,
//                cost_of_transport, velocity, fall_rate and similarity (hip, knee, ankle) with
//                and without, the metabolic model, the device and its profile, and the mean
//                gait cycle (0..100 % of the stride from right heel strike) of one recorded
//                episode each: hip flexion, knee flexion and ankle dorsiflexion [deg] with and
//                without and the normative bands, the right device's torque [N m] and power [W]
//   study.html   the same as one page with plots (inline SVG, no network)
//   with.sto, without.sto   the recorded episodes as OpenSim motions (device torque a channel)
// The walker's policy is as loaded (fine-tune it with the device first to study adaptation).
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "sinew/runtime/agent_factory.h"

namespace sinew {

struct ExoStudyOptions {
  int episodes = 4;  // per arm, seeds seed, seed + 1, ...; the recorded episode uses seed
  uint64_t seed = 12345;
};

// The energy ratio of a device: the metabolic saving (cost of transport without minus with, x
// the person's mass) over the device's positive work, both per metre walked; null when the
// device does under 1 J of positive work per stride (a ratio of nothing) or walked nowhere.
nlohmann::json exo_energy_ratio(double cost_of_transport_without, double cost_of_transport_with,
                                double person_mass_kg, double positive_work_J, double distance_m,
                                double positive_work_per_stride_J);

// `policy`'s config must wear a device (exo=<device>) on the gait env; throws UserError
// otherwise. Writes the files above into `folder` (created) and returns study.json's content.
nlohmann::json run_exo_study(LoadedPolicy& policy, const ExoStudyOptions& options,
                             const std::filesystem::path& folder);

}  // namespace sinew
