#include "sinew/sim/exo/exo_device.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "sinew/core/binary_io.h"
#include "sinew/core/errors.h"

namespace sinew {
namespace {

GaitPhaseEstimator::Options phase_options(double body_weight_N) {
  GaitPhaseEstimator::Options o;
  o.on_N = 0.05 * body_weight_N;
  o.off_N = 0.02 * body_weight_N;
  return o;
}

}  // namespace

ExoDevice::ExoDevice(ExoSpec spec, const mjModel* m, double body_weight_N,
                     const std::string& source)
    : spec_(std::move(spec)),
      profile_controlled_(spec_.controller == "profile"),
      phase_{GaitPhaseEstimator(phase_options(body_weight_N)),
             GaitPhaseEstimator(phase_options(body_weight_N))} {
  for (int side = 0; side < 2; ++side) {
    actuator_[side] = mj_name2id(m, mjOBJ_ACTUATOR, spec_.actuator_name(side).c_str());
    const int joint = mj_name2id(m, mjOBJ_JOINT, spec_.joint_name(side).c_str());
    if (actuator_[side] < 0 || joint < 0) {
      throw UserError(fmt::format("{}: the exo device needs actuator '{}' on joint '{}'", source,
                                  spec_.actuator_name(side), spec_.joint_name(side)));
    }
    dof_[side] = m->jnt_dofadr[joint];
  }
}

const std::vector<std::string>& ExoDevice::metric_names() {
  static const std::vector<std::string> names = {"exo/positive_work",
                                                 "exo/negative_work",
                                                 "exo/electrical_energy",
                                                 "exo/strides",
                                                 "exo/positive_work_per_stride",
                                                 "exo/peak_torque",
                                                 "exo/mass"};
  return names;
}

void ExoDevice::reset(uint64_t seed) {
  rng_.seed(seed);
  for (int side = 0; side < 2; ++side) {
    phase_[side].reset();
    sensed_[side].clear();
  }
  target_ = {0, 0};
  torque_ = {0, 0};
  time_s_ = 0;
  positive_J_ = negative_J_ = electrical_J_ = peak_Nm_ = 0;
}

void ExoDevice::control(double t_s, const std::array<double, 2>& loads_N) {
  time_s_ = t_s;
  std::normal_distribution<double> noise(0.0, 1.0);
  for (int side = 0; side < 2; ++side) {
    // the sensor's reading, seen sensors.delay later
    const double load =
        loads_N[side] + (spec_.load_noise_N > 0 ? spec_.load_noise_N * noise(rng_) : 0);
    sensed_[side].push_back({t_s + spec_.sensor_delay_s, load});
    while (!sensed_[side].empty() && sensed_[side].front()[0] <= t_s + 1e-12) {
      phase_[side].update(sensed_[side].front()[0], sensed_[side].front()[1]);
      sensed_[side].pop_front();
    }
    const auto phase = phase_[side].phase(t_s);
    target_[side] =
        profile_controlled_ && phase ? spec_.direction * spec_.profile.torque_Nm(*phase) : 0.0;
  }
}

void ExoDevice::actuate(const mjData* d, mjtNum* ctrl, double dt_s) {
  const double step = spec_.max_torque_rate_Nm_per_s * dt_s;
  for (int side = 0; side < 2; ++side) {
    const double wanted = std::clamp(target_[side], -spec_.max_torque_Nm, spec_.max_torque_Nm);
    torque_[side] = std::clamp(wanted, torque_[side] - step, torque_[side] + step);
    ctrl[actuator_[side]] = torque_[side];
    peak_Nm_ = std::max(peak_Nm_, std::fabs(torque_[side]));
    // power at this step's joint velocity (mj_step1 computed it)
    const double power = torque_[side] * d->qvel[dof_[side]];
    if (power >= 0) {
      positive_J_ += power * dt_s;
      electrical_J_ += power * dt_s / spec_.motor_efficiency;
    } else {
      negative_J_ += -power * dt_s;
      if (spec_.regeneration) electrical_J_ += power * dt_s * spec_.motor_efficiency;
    }
  }
}

std::array<double, 2> ExoDevice::phases() const {
  std::array<double, 2> out{};
  for (int side = 0; side < 2; ++side) out[side] = phase_[side].phase(time_s_).value_or(-1.0);
  return out;
}

void ExoDevice::episode_metrics(std::map<std::string, double>* out) const {
  const int strides = std::max(phase_[0].heel_strikes() - 1, 0);
  (*out)["exo/positive_work"] = positive_J_;
  (*out)["exo/negative_work"] = negative_J_;
  (*out)["exo/electrical_energy"] = electrical_J_;
  (*out)["exo/strides"] = strides;
  (*out)["exo/positive_work_per_stride"] = strides > 0 ? positive_J_ / strides : 0.0;
  (*out)["exo/peak_torque"] = peak_Nm_;
  (*out)["exo/mass"] = spec_.total_mass_kg();
}

void ExoDevice::save(BinaryWriter* out) const {
  for (const auto& phase : phase_) phase.save(out);
  for (const auto& queue : sensed_) {
    out->put_vector(std::vector<std::array<double, 2>>(queue.begin(), queue.end()));
  }
  out->put(target_);
  out->put(torque_);
  out->put(time_s_);
  for (double v : {positive_J_, negative_J_, electrical_J_, peak_Nm_}) out->put(v);
  std::ostringstream rng;
  rng << rng_;
  out->put_string(rng.str());
}

void ExoDevice::load(BinaryReader* in) {
  for (auto& phase : phase_) phase.load(in);
  for (auto& queue : sensed_) {
    const auto items = in->get_vector<std::array<double, 2>>();
    queue.assign(items.begin(), items.end());
  }
  target_ = in->get<std::array<double, 2>>();
  torque_ = in->get<std::array<double, 2>>();
  time_s_ = in->get<double>();
  for (double* v : {&positive_J_, &negative_J_, &electrical_J_, &peak_Nm_}) *v = in->get<double>();
  std::istringstream rng(in->get_string());
  rng >> rng_;
  if (rng.fail()) in->fail("the exo device's random state is unreadable");
}

}  // namespace sinew
