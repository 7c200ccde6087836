#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sinew/sim/gait/measures/all_measures.h"

namespace sinew {
namespace {

struct Sample {
  std::vector<double> torques = {0, 10, -20, 30};
  std::vector<double> u = {0.2, 0.4}, u_prev = {0.0, 0.5}, a = {0.1, 0.2, 0.5, 0.9};
  GaitSample s;
  Sample() {
    s.dt_s = 0.01;
    s.body_weight_N = 700;
    s.foot_load_N[0] = 1050;  // 1.5 BW
    s.foot_load_N[1] = 350;   // 0.5 BW
    s.limit_torques_Nm = torques;
    s.excitations = u;
    s.previous_excitations = u_prev;
    s.activations = a;
  }
};

TEST(GaitMeasures, VelocityFollowsTheSconegymShape) {
  Sample x;
  VelocityMeasure m(1.2);
  x.s.com_velocity_x_mps = 0.2;
  EXPECT_NEAR(m.value(x.s), std::exp(-1.0), 1e-12);
  x.s.com_velocity_x_mps = 1.2;
  EXPECT_DOUBLE_EQ(m.value(x.s), 1.0);
  x.s.com_velocity_x_mps = 2.0;
  EXPECT_DOUBLE_EQ(m.value(x.s), 1.0);
}

TEST(GaitMeasures, MinVelocityPenalizesOnlyBelowTheMinimum) {
  Sample x;
  MinVelocityMeasure m(1.0);
  x.s.com_velocity_x_mps = 0.7;
  EXPECT_NEAR(m.value(x.s), 0.09, 1e-12);
  x.s.com_velocity_x_mps = 1.1;
  EXPECT_DOUBLE_EQ(m.value(x.s), 0.0);
}

TEST(GaitMeasures, GrfLimitSumsTheExcessPerFootInBodyWeights) {
  Sample x;
  EXPECT_NEAR(GrfLimitMeasure(1.2).value(x.s), 0.3, 1e-12);  // (1.5 - 1.2) + 0
  EXPECT_NEAR(GrfLimitMeasure(0.4).value(x.s), 1.1 + 0.1, 1e-12);
  x.s.time_s = 0.5;
  EXPECT_DOUBLE_EQ(GrfLimitMeasure(1.2, /*start_s=*/1.0).value(x.s), 0.0);
  x.s.time_s = 1.5;
  EXPECT_NEAR(GrfLimitMeasure(1.2, /*start_s=*/1.0).value(x.s), 0.3, 1e-12);
}

TEST(GaitMeasures, LimitTorqueIsTheMeanAbsoluteTorque) {
  Sample x;
  EXPECT_NEAR(JointLimitTorqueMeasure().value(x.s), 15.0, 1e-12);  // (0 + 10 + 20 + 30) / 4
}

TEST(GaitMeasures, ExcitationChangeIsTheMeanSquaredChange) {
  Sample x;
  EXPECT_NEAR(ExcitationChangeMeasure().value(x.s), (0.04 + 0.01) / 2, 1e-12);
}

TEST(GaitMeasures, ActiveFractionAndCubedActivation) {
  Sample x;
  EXPECT_NEAR(ActiveFractionMeasure(0.15).value(x.s), 0.75, 1e-12);
  EXPECT_NEAR(CubedActivationMeasure().value(x.s), (0.001 + 0.008 + 0.125 + 0.729) / 4, 1e-12);
  EXPECT_FALSE(CubedActivationMeasure().what().empty());
}

TEST(GaitMeasures, DofLimitAngularVelocityAndShaping) {
  std::vector<std::string> names = {"pelvis_tx", "ankle_angle_r"};
  std::vector<double> q = {0, 70 * M_PI / 180};
  GaitSample s;
  s.dof_names = names;
  s.dof_positions = q;
  DofLimitMeasure limit("ankle_angle_r", -60 * M_PI / 180, 60 * M_PI / 180, /*squared=*/true);
  EXPECT_NEAR(limit.value(s), std::pow(10 * M_PI / 180, 2), 1e-12);
  s.torso_angular_velocity_radps = {3, 0, 4};
  EXPECT_NEAR(AngularVelocityMeasure(-1, false).value(s), 5.0, 1e-12);
  EXPECT_NEAR(AngularVelocityMeasure(2, true).value(s), 16.0, 1e-12);
  // SCONE rule: threshold 1, transition 0.5
  MeasureShaping shaping{0, 1.0, 0.5};
  EXPECT_DOUBLE_EQ(shaping.apply(0.9), 0.0);
  EXPECT_NEAR(shaping.apply(1.2), 1.2 * 0.2 / 0.5, 1e-12);
  EXPECT_DOUBLE_EQ(shaping.apply(2.0), 2.0);
  EXPECT_DOUBLE_EQ((MeasureShaping{0.5, 0, 0}).apply(1.0), 1.5);
}

}  // namespace
}  // namespace sinew
