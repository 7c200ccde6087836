#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sinew/sim/gait/muscle_curves.h"
#include "sinew/sim/gait/muscle_tendon_unit.h"

namespace sinew {
namespace {

using namespace sinew::muscle;

TEST(MuscleCurves, ActiveForceLengthIsTheThelenGaussian) {
  EXPECT_DOUBLE_EQ(active_force_length(1.0), 1.0);
  EXPECT_NEAR(active_force_length(1.5), std::exp(-0.25 / 0.45), 1e-12);
  EXPECT_NEAR(active_force_length(0.5), active_force_length(1.5), 1e-12);  // symmetric
  EXPECT_GT(active_force_length(0.9), active_force_length(0.7));
  for (double l = 0.0; l < 3.0; l += 0.01) EXPECT_GE(active_force_length(l), 0.0);
}

TEST(MuscleCurves, ForceVelocityFollowsHillAndTheEccentricPlateau) {
  EXPECT_DOUBLE_EQ(force_velocity(0.0), 1.0);
  EXPECT_DOUBLE_EQ(force_velocity(-1.0), 0.0);
  EXPECT_DOUBLE_EQ(force_velocity(-2.0), 0.0);
  // Hill's hyperbola with a = 0.25 at half the maximum shortening speed
  EXPECT_NEAR(force_velocity(-0.5), 0.5 / 3.0, 1e-12);
  // eccentric: rises towards 1.4, never above
  EXPECT_GT(force_velocity(0.1), 1.0);
  EXPECT_LT(force_velocity(100.0), kEccentricPlateau);
  EXPECT_NEAR(force_velocity(1e6), kEccentricPlateau, 1e-5);
  // slope continuous at 0: (1 + 1/a) = 5 on both sides
  const double h = 1e-7;
  EXPECT_NEAR((force_velocity(h) - 1.0) / h, 5.0, 1e-4);
  EXPECT_NEAR((1.0 - force_velocity(-h)) / h, 5.0, 1e-4);
  // monotonic
  for (double v = -1.0; v < 2.0; v += 0.01) EXPECT_LE(force_velocity(v), force_velocity(v + 0.01));
}

TEST(MuscleCurves, PassiveForceReachesFmaxAtSixtyPercentStrain) {
  EXPECT_DOUBLE_EQ(passive_force_length(0.8), 0.0);
  EXPECT_DOUBLE_EQ(passive_force_length(1.0), 0.0);
  EXPECT_NEAR(passive_force_length(1.6), 1.0, 1e-12);
  EXPECT_GT(passive_force_length(1.3), 0.0);
}

TEST(MuscleCurves, TendonCurveIsContinuousAndInvertible) {
  EXPECT_DOUBLE_EQ(tendon_force_strain(-0.01), 0.0);
  EXPECT_NEAR(tendon_force_strain(0.049), 1.0, 2e-3);  // F_max at 4.9 % strain
  for (double f = 0.0; f < 1.5; f += 0.01) {
    EXPECT_NEAR(tendon_force_strain(tendon_strain_at_force(f)), f, 1e-9);
  }
  const double toe = 0.609 * 0.049, h = 1e-9;
  EXPECT_NEAR(tendon_force_strain(toe + h) - tendon_force_strain(toe - h), 0.0, 1e-6);
}

MuscleParameters soleus() {
  MuscleParameters p;
  p.name = "soleus";
  p.max_isometric_force_N = 3549;
  p.optimal_fiber_length_m = 0.05;
  p.tendon_slack_length_m = 0.25;
  p.pennation_at_optimal_rad = 0.436;
  return p;
}

TEST(MuscleTendonUnit, ActivationRisesFasterThanItFalls) {
  MuscleTendonUnit m(soleus(), TendonModel::kRigid);
  m.initialize(0.29, 0.01);
  double t_up = 0;
  while (m.state().activation < 0.5) {
    m.step(1.0, 0.29, 0.0, 0.001);
    t_up += 0.001;
  }
  double t_down = 0;
  while (m.state().activation > 0.5 - 0.49 * 0.5) {  // halfway back down
    m.step(0.0, 0.29, 0.0, 0.001);
    t_down += 0.001;
  }
  EXPECT_LT(t_up, 0.02);
  EXPECT_GT(t_down, t_up);
  // the rate matches the formula
  EXPECT_NEAR(MuscleTendonUnit::activation_rate(1.0, 0.2, 0.01, 0.04), 0.8 / (0.01 * 0.8), 1e-9);
  EXPECT_NEAR(MuscleTendonUnit::activation_rate(0.0, 0.2, 0.01, 0.04), -0.2 * 0.8 / 0.04, 1e-9);
}

TEST(MuscleTendonUnit, RigidTendonForceMatchesTheCurvesAtOptimalLength) {
  MuscleParameters p = soleus();
  MuscleTendonUnit m(p, TendonModel::kRigid);
  const double length =
      p.tendon_slack_length_m + p.optimal_fiber_length_m * std::cos(p.pennation_at_optimal_rad);
  m.initialize(length, 1.0);
  EXPECT_NEAR(m.state().fiber_length_m, p.optimal_fiber_length_m, 1e-9);
  EXPECT_NEAR(m.state().pennation_rad, p.pennation_at_optimal_rad, 1e-9);
  EXPECT_NEAR(m.state().force_N, p.max_isometric_force_N * std::cos(p.pennation_at_optimal_rad),
              1e-6);
  // shortening at the maximum speed gives no active force
  const double v_max = 10 * p.optimal_fiber_length_m / std::cos(p.pennation_at_optimal_rad);
  m.step(1.0, length, -1.01 * v_max, 1e-4);
  EXPECT_NEAR(m.state().active_fiber_force_N, 0.0, 1.0);
}

TEST(MuscleTendonUnit, NeverPushesAtAnyLengthSpeedOrExcitation) {
  std::mt19937 rng(4);
  std::uniform_real_distribution<double> length(0.0, 0.6), speed(-3, 3), u(-0.5, 1.5);
  for (TendonModel tendon : {TendonModel::kRigid, TendonModel::kElastic}) {
    MuscleTendonUnit m(soleus(), tendon);
    for (int i = 0; i < 20000; ++i) {
      double f = m.step(u(rng), length(rng), speed(rng), 0.002);
      ASSERT_GE(f, 0.0);
      ASSERT_TRUE(std::isfinite(f));
      ASSERT_GE(m.state().activation, 0.01);
      ASSERT_LE(m.state().activation, 1.0);
    }
  }
}

TEST(MuscleTendonUnit, ElasticTendonSettlesToTheRigidForceWhenStiff) {
  // at rest, isometric and fully active, the elastic unit carries nearly the rigid force
  MuscleParameters p = soleus();
  MuscleTendonUnit rigid(p, TendonModel::kRigid), elastic(p, TendonModel::kElastic);
  const double length = 0.30;
  rigid.initialize(length, 1.0);
  elastic.initialize(length, 1.0);
  for (int i = 0; i < 500; ++i) {
    rigid.step(1.0, length, 0.0, 0.002);
    elastic.step(1.0, length, 0.0, 0.002);
  }
  // the tendon stretches a few percent, so the fiber is a little shorter than with a rigid one
  EXPECT_GT(elastic.state().tendon_length_m, p.tendon_slack_length_m);
  EXPECT_LT(elastic.state().tendon_length_m, 1.06 * p.tendon_slack_length_m);
  EXPECT_NEAR(elastic.state().fiber_velocity_mps, 0.0, 1e-3);
  // (measured: 0.93 of it; the shorter fiber sits lower on its force-length curve)
  EXPECT_NEAR(elastic.state().force_N, rigid.state().force_N, 0.12 * rigid.state().force_N);
}

}  // namespace
}  // namespace sinew
