// The exoskeleton parts: the assistance profile's shape, gait phase estimation (on the
// normative walk's ground reaction force), the device spec and its generated model, the
// device's torque limits and work bookkeeping, and a gait env wearing it.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "mujoco_warning_fixture.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/sim/env_factory.h"
#include "sinew/sim/exo/assistance_profile.h"
#include "sinew/sim/exo/exo_device.h"
#include "sinew/sim/exo/exo_model.h"
#include "sinew/sim/exo/exo_spec.h"
#include "sinew/sim/exo/gait_phase_estimator.h"
#include "sinew/sim/gait/gait_env.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace {
namespace fs = std::filesystem;

class ExoEnvTest : public testing::MujocoWarningTest {};

Config compose(const std::vector<std::string>& overrides) {
  ConfigComposer composer(fs::path(SINEW_SOURCE_DIR) / "configs");
  return composer.compose(overrides);
}

// the ConfigError key `action` throws, or "(none)"
template <typename F>
std::string config_error_key(F action) {
  try {
    action();
  } catch (const ConfigError& e) {
    return e.key();
  }
  return "(none)";
}

TEST(AssistanceProfile, RisesToItsPeakAndFallsBackSmoothly) {
  const AssistanceProfile p{20.0, 0.529, 0.262, 0.098};  // PredSim's Zhang 2017 example
  EXPECT_EQ(p.torque_Nm(0.0), 0.0);
  EXPECT_EQ(p.torque_Nm(0.529 - 0.262 - 1e-9), 0.0);
  EXPECT_NEAR(p.torque_Nm(0.529), 20.0, 1e-9);
  EXPECT_NEAR(p.torque_Nm(0.529 - 0.131), 10.0, 1e-9) << "half way up at half the rise";
  EXPECT_NEAR(p.torque_Nm(0.529 + 0.049), 10.0, 1e-9) << "half way down at half the fall";
  EXPECT_EQ(p.torque_Nm(0.529 + 0.098 + 1e-9), 0.0);
  EXPECT_EQ(p.torque_Nm(0.9), 0.0);
  // monotone up, then down, and continuous: no step above the steepest slope of the fall
  // (1.5 x peak / fall per stride) over 0.1 % of the stride
  const double steepest = 1.5 * 20.0 / 0.098 * 0.001;
  double previous = 0;
  for (int i = 1; i <= 1000; ++i) {
    const double phase = i / 1000.0, torque = p.torque_Nm(phase);
    if (phase <= 0.529) {
      EXPECT_GE(torque, previous - 1e-12) << phase;
    } else {
      EXPECT_LE(torque, previous + 1e-12) << phase;
    }
    EXPECT_LE(std::fabs(torque - previous), steepest + 1e-12) << phase;
    previous = torque;
  }
  // a profile that starts before heel strike wraps around the cycle
  const AssistanceProfile early{10.0, 0.05, 0.1, 0.1};
  EXPECT_NEAR(early.torque_Nm(0.0), 10.0 * 0.5 * 0.5 * (3 - 2 * 0.5), 1e-9);
  EXPECT_GT(early.torque_Nm(0.99), 0.0);
  EXPECT_EQ(early.torque_Nm(1.05), early.torque_Nm(0.05));
}

TEST(AssistanceProfile, OutOfRangeParametersNameTheirKey) {
  auto key_of = [](AssistanceProfile p) {
    return config_error_key([&] { p.check("exo.profile"); });
  };
  EXPECT_EQ(key_of({20, 0.5, 0.2, 0.1}), "(none)");
  EXPECT_EQ(key_of({-1, 0.5, 0.2, 0.1}), "exo.profile.peak_torque");
  EXPECT_EQ(key_of({20, 1.0, 0.2, 0.1}), "exo.profile.peak_time");
  EXPECT_EQ(key_of({20, 0.5, 0.0, 0.1}), "exo.profile.rise_time");
  EXPECT_EQ(key_of({20, 0.5, 0.2, -0.1}), "exo.profile.fall_time");
  EXPECT_EQ(key_of({20, 0.5, 0.7, 0.4}), "exo.profile.fall_time");
}

// the mean vertical ground reaction force of the normative walk [body weights] over one
// stride, 101 samples from heel strike
std::vector<double> normative_grf() {
  std::ifstream in(fs::path(SINEW_SOURCE_DIR) / "assets/motions/normative_gait.csv");
  std::string line;
  std::vector<double> grf;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("gait_cycle_pct", 0) == 0) continue;
    std::stringstream row(line);
    std::string cell;
    std::vector<double> cells;
    while (std::getline(row, cell, ',')) cells.push_back(std::stod(cell));
    grf.push_back(cells.at(14));  // ground_reaction_force_mean
  }
  return grf;
}

TEST(GaitPhaseEstimator, FollowsTheNormativeWalkFromItsGroundReactionForce) {
  const std::vector<double> grf = normative_grf();
  ASSERT_EQ(grf.size(), 101u);
  constexpr double kStride = 1.1, kWeight = 730.0, kDt = 0.01;
  GaitPhaseEstimator estimator({});
  auto load_at = [&](double t) {
    const double phase = std::fmod(t, kStride) / kStride;
    return kWeight * grf[static_cast<std::size_t>(std::lround(phase * 100))];
  };
  double worst = 0;
  // start in mid-stance: the first contact is not a heel strike
  for (double t = 0.3 * kStride; t < 8 * kStride; t += kDt) {
    estimator.update(t, load_at(t));
    const auto phase = estimator.phase(t);
    if (t < 2.0 * kStride + 0.05) continue;  // two heel strikes give the first stride
    ASSERT_TRUE(phase.has_value()) << t;
    const double truth = std::fmod(t, kStride) / kStride;
    double error = std::fabs(*phase - truth);
    error = std::min(error, 1 - error);  // 0.999 and 0.0 are close
    worst = std::max(worst, error);
  }
  EXPECT_LT(worst, 0.02) << "within 2 % of the stride";
  EXPECT_NEAR(estimator.stride_s(), kStride, 0.011);
  EXPECT_EQ(estimator.heel_strikes(), 7);
}

TEST(GaitPhaseEstimator, IgnoresChatterAndStumbles) {
  GaitPhaseEstimator estimator(
      {.on_N = 50, .off_N = 20, .strides = 3, .min_stride_s = 0.4, .max_stride_s = 2.5});
  EXPECT_FALSE(estimator.phase(0).has_value());
  double t = 0;
  auto swing_then_strike = [&](double stride) {
    estimator.update(t, 0);
    estimator.update(t + 0.5 * stride, 0);
    t += stride;
    estimator.update(t, 300);
    // chatter between off and on during stance is not a strike
    estimator.update(t + 0.01, 30);
    estimator.update(t + 0.02, 300);
  };
  swing_then_strike(1.0);
  swing_then_strike(1.0);
  EXPECT_EQ(estimator.heel_strikes(), 2);
  EXPECT_NEAR(estimator.stride_s(), 1.0, 1e-12);
  swing_then_strike(0.2);  // a stumble: counted as a strike, not as a stride
  EXPECT_NEAR(estimator.stride_s(), 1.0, 1e-12);
  EXPECT_NEAR(*estimator.phase(t + 0.5), 0.5, 1e-12);
  EXPECT_EQ(*estimator.phase(t + 3.0), 1.0) << "held at the end of a long stride";
  // a brief lift in stance (0.04 s off the ground, under min_swing_s) is not a strike
  const int strikes = estimator.heel_strikes();
  estimator.update(t + 0.10, 0);
  estimator.update(t + 0.14, 0);
  estimator.update(t + 0.16, 300);
  EXPECT_EQ(estimator.heel_strikes(), strikes);
  estimator.reset();
  EXPECT_FALSE(estimator.phase(t).has_value());
}

TEST(ExoSpec, DevicesReadFromTheirConfigAndBadValuesNameTheKey) {
  const auto none = ExoSpec::read(compose({"env=gait"}));
  EXPECT_FALSE(none.has_value());
  EXPECT_FALSE(ExoSpec::read(compose({"env=gait", "exo=none"})).has_value());
  const auto ankle = ExoSpec::read(compose({"env=gait", "exo=ankle"}));
  ASSERT_TRUE(ankle.has_value());
  EXPECT_EQ(ankle->joint_name(1), "ankle_angle_l");
  EXPECT_EQ(ankle->actuator_name(0), "exo_ankle_r");
  EXPECT_NEAR(ankle->total_mass_kg(), 1.8, 1e-12);
  EXPECT_NEAR(ExoSpec::read(compose({"env=gait", "exo=hip"}))->total_mass_kg(), 3.2, 1e-12);
  auto key_of = [](const std::vector<std::string>& overrides) {
    return config_error_key([&] { ExoSpec::read(compose(overrides)); });
  };
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.joint=elbow"}), "exo.joint");
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.max_torque=-5"}), "exo.max_torque");
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.direction=0.5"}), "exo.direction");
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.masses.shank.mass=-1"}), "exo.masses.shank.mass");
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.masses.foot.segment=hand"}),
            "exo.masses.foot.segment");
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.profile.peak_torque=80"}),
            "exo.profile.peak_torque")
      << "the profile cannot ask for more than the actuator gives";
  EXPECT_EQ(key_of({"env=gait", "exo=ankle", "exo.controller=learned"}), "exo.controller");
}

TEST(ExoModel, AddsTheDevicesMassesAndActuatorsToTheBody) {
  const fs::path path = resolve_model_path("gait9dof18musc.xml");
  const std::string body = read_text_file(path);
  auto plain = MujocoModel::load(path);
  for (const char* device : {"ankle", "hip", "knee"}) {
    SCOPED_TRACE(device);
    const ExoSpec exo = *ExoSpec::read(compose({"env=gait", std::string("exo=") + device}));
    auto model = MujocoModel::from_xml(add_exo_to_mjcf(body, exo, path.string()), device);
    const mjModel* m = model->get();
    EXPECT_NEAR(mj_getTotalmass(m), mj_getTotalmass(plain->get()) + exo.total_mass_kg(), 1e-9);
    EXPECT_EQ(m->nu, plain->get()->nu + 2);
    EXPECT_EQ(m->nv, plain->get()->nv) << "the device adds no degree of freedom";
    for (int side = 0; side < 2; ++side) {
      const int a = mj_name2id(m, mjOBJ_ACTUATOR, exo.actuator_name(side).c_str());
      ASSERT_GE(a, 0);
      EXPECT_EQ(m->actuator_trntype[a], mjTRN_JOINT);
      EXPECT_EQ(m->actuator_trnid[2 * a], mj_name2id(m, mjOBJ_JOINT, exo.joint_name(side).c_str()));
      EXPECT_EQ(m->actuator_ctrlrange[2 * a], -exo.max_torque_Nm);
      EXPECT_EQ(m->actuator_ctrlrange[2 * a + 1], exo.max_torque_Nm);
      EXPECT_EQ(m->actuator_gear[6 * a], 1.0);
    }
    for (const auto& mass : exo.masses) {
      const int b = mj_name2id(m, mjOBJ_BODY, exo.mass_body_name(mass, 0).c_str());
      ASSERT_GE(b, 0) << mass.name;
      EXPECT_NEAR(m->body_mass[b], mass.mass_kg, 1e-12);
      EXPECT_NEAR(m->body_inertia[3 * b + 1], mass.inertia_kg_m2[1], 1e-12);
      const std::string segment = mass.segment == "pelvis" ? "pelvis" : mass.segment + "_r";
      EXPECT_EQ(m->body_parentid[b], mj_name2id(m, mjOBJ_BODY, segment.c_str()));
    }
  }
  ExoSpec bad = *ExoSpec::read(compose({"env=gait", "exo=ankle"}));
  bad.joint = "wrist";
  EXPECT_EQ(config_error_key([&] { add_exo_to_mjcf(body, bad, path.string()); }), "exo.joint");
  bad = *ExoSpec::read(compose({"env=gait", "exo=ankle"}));
  bad.masses[0].segment = "humerus";
  EXPECT_EQ(config_error_key([&] { add_exo_to_mjcf(body, bad, path.string()); }),
            "exo.masses.shank.segment");
}

// a device on the gait model, driven by synthetic foot loads
struct DeviceRig {
  ExoSpec spec;
  std::shared_ptr<const MujocoModel> model;
  MjDataPtr data;
  explicit DeviceRig(const std::vector<std::string>& overrides) {
    std::vector<std::string> all = {"env=gait", "exo=ankle", "exo.sensors.load_noise=0",
                                    "exo.sensors.delay=0"};
    all.insert(all.end(), overrides.begin(), overrides.end());
    spec = *ExoSpec::read(compose(all));
    const fs::path path = resolve_model_path("gait9dof18musc.xml");
    model =
        MujocoModel::from_xml(add_exo_to_mjcf(read_text_file(path), spec, path.string()), "rig");
    data = model->make_data();
  }
};

TEST(ExoDevice, FollowsItsProfileWithinTheTorqueAndRateLimits) {
  DeviceRig rig({"exo.max_torque_rate=500", "exo.profile.peak_torque=20"});
  ExoDevice device(rig.spec, rig.model->get(), 700.0, "rig");
  device.reset(1);
  const double dt = 0.002;
  std::vector<mjtNum> ctrl(rig.model->get()->nu, 0.0);
  double largest_change = 0, most = 0, previous = 0;
  // the right foot strikes every 1.0 s (stance 0.6 s); the left is always loaded
  for (int step = 0; step < 4000; ++step) {
    const double t = step * dt;
    const double in_stride = std::fmod(t + 0.5, 1.0);
    if (step % 5 == 0) device.control(t, {in_stride < 0.6 ? 600.0 : 0.0, 600.0});
    device.actuate(rig.data.get(), ctrl.data(), dt);
    const double torque = device.torques_Nm()[0];
    largest_change = std::max(largest_change, std::fabs(torque - previous));
    most = std::max(most, -torque);
    previous = torque;
    EXPECT_EQ(ctrl[mj_name2id(rig.model->get(), mjOBJ_ACTUATOR, "exo_ankle_r")], torque);
    EXPECT_EQ(device.torques_Nm()[1], 0.0) << "the left leg never struck: no phase, no torque";
  }
  EXPECT_LE(largest_change, 500 * dt + 1e-12);
  EXPECT_GT(most, 19.0) << "plantarflexion (-) reached about the profile's peak";
  EXPECT_LE(most, 20.0 + 1e-9);
  std::map<std::string, double> metrics;
  device.episode_metrics(&metrics);
  EXPECT_EQ(metrics.at("exo/strides"), 7);  // strikes at 0.5, 1.5, ... 7.5 s
  EXPECT_NEAR(metrics.at("exo/peak_torque"), most, 1e-12);
  EXPECT_EQ(metrics.at("exo/positive_work"), 0.0) << "a joint that never moves takes no work";
}

TEST(ExoDevice, BooksPositiveAndNegativeWorkAndTheBatterysEnergy) {
  DeviceRig rig({"exo.motor.efficiency=0.5"});
  ExoDevice device(rig.spec, rig.model->get(), 700.0, "rig");
  device.reset(1);
  const mjModel* m = rig.model->get();
  const int dof = m->jnt_dofadr[mj_name2id(m, mjOBJ_JOINT, "ankle_angle_r")];
  std::vector<mjtNum> ctrl(m->nu, 0.0);
  // a strided right foot; the ankle turns at -1 rad/s (with the plantarflexing torque:
  // positive work) for the first half of the run, then at +1 rad/s (negative work)
  const double dt = 0.002;
  for (int step = 0; step < 5000; ++step) {
    const double t = step * dt;
    rig.data->qvel[dof] = step < 2500 ? -1.0 : 1.0;
    if (step % 5 == 0) device.control(t, {std::fmod(t, 1.0) < 0.6 ? 600.0 : 0.0, 600.0});
    device.actuate(rig.data.get(), ctrl.data(), dt);
  }
  std::map<std::string, double> metrics;
  device.episode_metrics(&metrics);
  EXPECT_GT(metrics.at("exo/positive_work"), 1.0);
  EXPECT_GT(metrics.at("exo/negative_work"), 1.0);
  EXPECT_NEAR(metrics.at("exo/electrical_energy"), metrics.at("exo/positive_work") / 0.5, 1e-9)
      << "without regeneration the battery pays for positive work only";
  EXPECT_NEAR(metrics.at("exo/positive_work_per_stride"),
              metrics.at("exo/positive_work") / metrics.at("exo/strides"), 1e-12);
}

TEST_F(ExoEnvTest, AGaitEnvWearsTheDeviceAndCarriesItsMass) {
  for (const char* controller : {"zero", "profile"}) {
    SCOPED_TRACE(controller);
    EnvFactory factory(
        compose({"env=gait", "exo=ankle", std::string("exo.controller=") + controller}));
    auto env = factory.make();
    const auto& names = env->spec().episode_metric_names;
    EXPECT_NE(std::find(names.begin(), names.end(), "exo/positive_work_per_stride"), names.end());
    auto* gait = dynamic_cast<GaitEnv*>(env.get());
    ASSERT_NE(gait, nullptr);
    EXPECT_NEAR(gait->person_mass_kg(), 74.53, 0.01) << "the person's mass, without the device";
    EXPECT_NEAR(gait->body_weight_N(), (74.53 + 1.8) * 9.81, 0.2);
    std::vector<float> obs(env->spec().obs_dim), action(env->spec().action_dim, 0.05f);
    env->reset(3, obs);
    for (int i = 0; i < 50; ++i) env->step(action, obs);
    std::map<std::string, double> metrics;
    env->episode_metrics(&metrics);
    EXPECT_NEAR(metrics.at("exo/mass"), 1.8, 1e-12);
    EXPECT_TRUE(std::isfinite(metrics.at("cost_of_transport")));
    if (std::string(controller) == "zero") {
      EXPECT_EQ(metrics.at("exo/peak_torque"), 0.0);
    }
    const auto labels = env->motion_labels();
    EXPECT_EQ(labels.back(), "exo_ankle_l.torque");
    std::vector<double> values;
    env->motion_values(&values);
    EXPECT_EQ(values.size(), labels.size());
    // the device's state goes with the env's
    ASSERT_TRUE(env->saves_state());
    const std::string state = env->save_state();
    auto copy = factory.make();
    copy->load_state(state, "saved");
    std::vector<float> a(obs.size()), b(obs.size());
    env->step(action, a);
    copy->step(action, b);
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace sinew
