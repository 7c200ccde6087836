#include "sinew/runtime/exo_study.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/env/closing_env.h"
#include "sinew/runtime/evaluator.h"
#include "sinew/runtime/exo_study_page.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/exo/exo_spec.h"
#include "sinew/sim/gait/gait_cycle_analysis.h"
#include "sinew/sim/motion_table.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr int kCyclePoints = 101;
// as the device's phase estimate does: on and off loads, the least time off the ground
constexpr double kStrikeOn_N = 50, kStrikeOff_N = 20, kMinSwing_s = 0.1;

double number(const nlohmann::json& j, const std::string& key) {
  return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0;
}

// times of the right foot's heel strikes in a recorded episode
std::vector<double> heel_strikes(const MotionTable& motion) {
  const std::size_t grf = motion.column("grf_r");
  std::vector<double> out;
  bool armed = false;
  double off_since = -1;
  for (std::size_t r = 0; r < motion.rows(); ++r) {
    const double t = motion.times()[r], load = motion.value(r, grf);
    if (load < kStrikeOff_N) {
      if (off_since < 0) off_since = t;
      if (t - off_since >= kMinSwing_s - 1e-9) armed = true;
    } else {
      off_since = -1;
    }
    if (armed && load >= kStrikeOn_N) {
      out.push_back(t);
      armed = false;
    }
  }
  return out;
}

// the mean over whole strides of `value(t)`, at kCyclePoints points of the stride
template <typename F>
std::vector<double> mean_cycle(const std::vector<double>& strikes, F value) {
  std::vector<double> mean(kCyclePoints, 0.0);
  const std::size_t strides = strikes.size() < 2 ? 0 : strikes.size() - 1;
  for (std::size_t s = 0; s < strides; ++s) {
    const double start = strikes[s], length = strikes[s + 1] - strikes[s];
    for (int i = 0; i < kCyclePoints; ++i) {
      mean[i] += value(start + length * i / (kCyclePoints - 1)) / static_cast<double>(strides);
    }
  }
  return mean;
}

// the right leg's joint curves (and the device's torque and power) over the mean stride
nlohmann::json gait_cycle(const MotionTable& motion, const ExoSpec* exo) {
  const std::vector<double> strikes = heel_strikes(motion);
  auto column_cycle = [&](const std::string& label, double sign) {
    const std::size_t c = motion.column(label);
    return mean_cycle(strikes, [&](double t) { return sign * motion.at(t, c); });
  };
  nlohmann::json out = {{"strides", strikes.size() < 2 ? 0 : strikes.size() - 1},
                        {"hip", column_cycle("hip_flexion_r", 1)},
                        {"knee_flexion", column_cycle("knee_angle_r", -1)},
                        {"ankle", column_cycle("ankle_angle_r", 1)}};
  if (exo) {
    const std::size_t torque = motion.column(exo->actuator_name(0) + ".torque");
    const std::size_t angle = motion.column(exo->joint_name(0));  // degrees
    const double h = motion.rows() > 1 ? motion.times()[1] - motion.times()[0] : 0.01;
    out["device_torque_nm"] = mean_cycle(strikes, [&](double t) { return motion.at(t, torque); });
    out["device_power_w"] = mean_cycle(strikes, [&](double t) {
      const double velocity =
          (motion.at(t + h, angle) - motion.at(t - h, angle)) / (2 * h) * M_PI / 180.0;
      return motion.at(t, torque) * velocity;
    });
  }
  return out;
}

nlohmann::json arm(const nlohmann::json& eval) {
  return {{"cost_of_transport", number(eval, "cost_of_transport")},
          {"velocity", number(eval, "velocity")},
          {"fall_rate", number(eval, "fall_rate")},
          {"similarity",
           {{"hip", number(eval, "gait_similarity/hip")},
            {"knee", number(eval, "gait_similarity/knee")},
            {"ankle", number(eval, "gait_similarity/ankle")}}}};
}

}  // namespace

nlohmann::json exo_energy_ratio(double cost_of_transport_without, double cost_of_transport_with,
                                double person_mass_kg, double positive_work_J, double distance_m,
                                double positive_work_per_stride_J) {
  constexpr double kMinWorkPerStride_J = 1.0;
  if (positive_work_per_stride_J < kMinWorkPerStride_J || distance_m <= 0) return nullptr;
  const double saving_J_per_m =
      (cost_of_transport_without - cost_of_transport_with) * person_mass_kg;
  return saving_J_per_m / (positive_work_J / distance_m);
}

nlohmann::json run_exo_study(LoadedPolicy& policy, const ExoStudyOptions& options,
                             const fs::path& folder) {
  const Config worn = evaluation_config(policy.config);
  const auto exo = ExoSpec::read(worn);
  if (!exo) throw UserError("exo-study needs a device: add exo=<device> (ankle, hip, knee)");
  if (!worn.has("env.name") || worn.get_string("env.name") != "gait") {
    throw UserError("exo-study needs the gait env (env.name=gait)");
  }
  fs::create_directories(folder);
  EvalOptions eval;
  eval.episodes = options.episodes;
  eval.seed = options.seed;
  eval.conditions = false;
  nlohmann::json with_eval, without_eval;
  nlohmann::json cycle_with, cycle_without;
  for (const bool wearing : {false, true}) {
    const Config config = wearing ? worn : evaluation_config(policy.config, {"exo.name=none"});
    EnvFactory factory(config);
    (wearing ? with_eval : without_eval) = evaluate_in(policy, factory, eval);
    ClosingEnv env(factory.make());
    PolicyActor actor(policy, factory.spec(), options.seed, /*deterministic=*/true);
    const MotionTable motion = record_episode(*env, &actor, options.seed);
    motion.write(folder / (wearing ? "with.sto" : "without.sto"));
    (wearing ? cycle_with : cycle_without) = gait_cycle(motion, wearing ? &*exo : nullptr);
  }
  nlohmann::json report;
  report["device"] = exo->name;
  report["joint"] = exo->joint;
  report["device_mass_kg"] = exo->total_mass_kg();
  report["controller"] = exo->controller;
  report["profile"] = {{"peak_torque", exo->profile.peak_torque_Nm},
                       {"peak_time", exo->profile.peak_time},
                       {"rise_time", exo->profile.rise_time},
                       {"fall_time", exo->profile.fall_time}};
  report["metabolic_model"] = "Wang2012 (sinew's MetabolicMeasure)";
  report["episodes"] = options.episodes;
  report["seed"] = options.seed;
  report["step"] = policy.manifest.value("step", int64_t{0});
  const nlohmann::json w = arm(with_eval), wo = arm(without_eval);
  const double cot_with = w["cost_of_transport"], cot_without = wo["cost_of_transport"];
  report["metabolic_change"] = cot_without > 0 ? cot_with / cot_without - 1 : 0.0;
  report["cost_of_transport"] = {{"with", cot_with}, {"without", cot_without}};
  report["velocity"] = {{"with", w["velocity"]}, {"without", wo["velocity"]}};
  report["fall_rate"] = {{"with", w["fall_rate"]}, {"without", wo["fall_rate"]}};
  report["similarity"] = w["similarity"];
  report["similarity_without"] = wo["similarity"];
  const double strides = number(with_eval, "exo/strides");
  const double positive = number(with_eval, "exo/positive_work");
  report["device_positive_work_j_per_stride"] = number(with_eval, "exo/positive_work_per_stride");
  report["device_negative_work_j_per_stride"] =
      strides > 0 ? number(with_eval, "exo/negative_work") / strides : 0.0;
  report["device_electrical_energy_j_per_stride"] =
      strides > 0 ? number(with_eval, "exo/electrical_energy") / strides : 0.0;
  report["device_peak_torque_nm"] = number(with_eval, "exo/peak_torque");
  const double person_mass = number(with_eval, "exo/person_mass");
  const double distance = number(with_eval, "distance");
  report["person_mass_kg"] = person_mass;
  report["energy_ratio"] =
      exo_energy_ratio(cot_without, cot_with, person_mass, positive, distance,
                       report["device_positive_work_j_per_stride"].get<double>());
  // the mean stride of the recorded episodes, and the normative bands
  nlohmann::json cycle = {
      {"percent", nlohmann::json::array()}, {"with", cycle_with}, {"without", cycle_without}};
  for (int i = 0; i < kCyclePoints; ++i) cycle["percent"].push_back(100.0 * i / (kCyclePoints - 1));
  if (worn.has("env.normative")) {
    const NormativeGait normative =
        NormativeGait::read(resolve_motion_path(worn.get_string("env.normative")));
    const char* names[] = {"hip", "knee_flexion", "ankle"};
    for (int k = 0; k < 3; ++k) {
      cycle["normative"][names[k]] = {
          {"mean", normative.mean[k]}, {"min", normative.min[k]}, {"max", normative.max[k]}};
    }
  }
  report["gait_cycle"] = cycle;
  report["files"] = {"study.json", "study.html", "with.sto", "without.sto"};
  write_file_atomically(folder / "study.json", report.dump(2) + "\n");
  write_file_atomically(folder / "study.html", exo_study_html(report));
  return report;
}

}  // namespace sinew
