#include "sinew/sim/gait/measures/tracking_measure.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

constexpr double kDeg = M_PI / 180;

std::shared_ptr<const ReferenceMotion> reference() {
  MotionTable table("ref", {"pelvis_tx", "pelvis_ty", "knee_angle_r", "hip_flexion_r"}, true);
  table.add_row(0.0, {0.0, 0.95, -10, 20});
  table.add_row(1.0, {1.0, 0.95, -50, 20});
  table.add_row(2.0, {2.0, 0.95, -10, 20});
  return std::make_shared<const ReferenceMotion>(table);
}

struct Sample {
  std::vector<std::string> names = {"pelvis_tx", "pelvis_ty", "knee_angle_r", "hip_flexion_r"};
  std::vector<double> q = {7.0, 0.5, 0, 20 * M_PI / 180};
  std::vector<double> qd = {0, 0, 0, 0};
  GaitSample s;
  Sample() {
    s.dof_names = names;
    s.dof_positions = q;
    s.dof_velocities = qd;
  }
};

TEST(TrackingMeasure, IsOneOnTheReferenceAtTheEpisodesPhase) {
  TrackingMeasure pose(reference(), TrackingMeasure::Channel::kPositions, /*scale=*/10,
                       /*termination_rms_deg=*/0);
  Sample x;
  // the episode started 0.5 s into the reference; 0.25 s later the knee is at -30 deg
  x.s.reference_start_s = 0.5;
  x.s.time_s = 0.25;
  x.q[2] = -40 * M_PI / 180;
  EXPECT_NEAR(pose.value(x.s), 1.0, 1e-12);  // pelvis translations are not tracked
  // 10 deg off on one of the two tracked angles
  x.q[2] = -50 * M_PI / 180;
  const double mse = std::pow(10 * M_PI / 180, 2) / 2;
  EXPECT_NEAR(pose.value(x.s), std::exp(-10 * mse), 1e-12);
  EXPECT_NEAR(pose.last_error(), mse, 1e-12);
  EXPECT_FALSE(pose.terminate());
}

TEST(TrackingMeasure, EndsTheEpisodePastTheRmsLimit) {
  TrackingMeasure pose(reference(), TrackingMeasure::Channel::kPositions, 10,
                       /*termination_rms_deg=*/10);
  Sample x;
  x.q[2] = -10 * M_PI / 180 - 0.2;  // 0.2 rad off on one of two: rms 0.141 rad = 8.1 deg
  pose.value(x.s);
  EXPECT_FALSE(pose.terminate());
  x.q[2] = -10 * M_PI / 180 - 0.3;  // rms 12.2 deg
  pose.value(x.s);
  EXPECT_TRUE(pose.terminate());
  pose.reset();
  EXPECT_FALSE(pose.terminate());
}

TEST(TrackingMeasure, VelocitiesAndComVelocity) {
  Sample x;
  x.s.time_s = 0.5;
  TrackingMeasure velocity(reference(), TrackingMeasure::Channel::kVelocities, 1, 0);
  x.qd[2] = -40 * M_PI / 180;  // the reference knee rate at 0.5 s
  EXPECT_NEAR(velocity.value(x.s), 1.0, 1e-9);
  TrackingMeasure com(reference(), TrackingMeasure::Channel::kComVelocity, 2, 0);
  x.s.com_velocity_x_mps = 1.5;  // 0.5 m/s faster than the reference
  EXPECT_NEAR(com.value(x.s), std::exp(-2 * 0.25), 1e-9);
}

TEST(TrackingMeasure, BlendsFromTheStandingPoseIntoTheReference) {
  Sample x;
  const std::vector<double> standing = {0, 0, 0, 0};
  x.s.time_s = 0.5;  // reference: knee -30 deg falling at 40 deg/s, hip 20 deg, 1 m/s
  x.s.standing_positions = standing;
  x.s.reference_blend = 0.5;
  x.s.reference_blend_rate = 2.0;  // [1/s]
  TrackingMeasure pose(reference(), TrackingMeasure::Channel::kPositions, 10, 0);
  x.q[2] = -15 * kDeg;  // halfway from standing (0) to the reference
  x.q[3] = 10 * kDeg;
  EXPECT_NEAR(pose.value(x.s), 1.0, 1e-12);
  // the target's rate: blend x reference rate + blend rate x (reference - standing)
  TrackingMeasure velocity(reference(), TrackingMeasure::Channel::kVelocities, 1, 0);
  x.qd[2] = (0.5 * -40 + 2.0 * -30) * kDeg;
  x.qd[3] = (0.5 * 0 + 2.0 * 20) * kDeg;
  EXPECT_NEAR(velocity.value(x.s), 1.0, 1e-9);
  TrackingMeasure com(reference(), TrackingMeasure::Channel::kComVelocity, 2, 0);
  x.s.com_velocity_x_mps = 0.5;  // half the reference's speed
  EXPECT_NEAR(com.value(x.s), 1.0, 1e-9);
  // a full blend is the reference itself
  x.s.reference_blend = 1.0;
  x.s.reference_blend_rate = 0.0;
  EXPECT_NEAR(com.value(x.s), std::exp(-2 * 0.25), 1e-9);
}

TEST(TrackingMeasure, ComVelocityNeedsPelvisTx) {
  MotionTable table("ref", {"knee_angle_r"}, true);
  table.add_row(0.0, {0});
  table.add_row(1.0, {0});
  EXPECT_THROW(TrackingMeasure(std::make_shared<const ReferenceMotion>(table),
                               TrackingMeasure::Channel::kComVelocity, 1, 0),
               UserError);
}

}  // namespace
}  // namespace sinew
