#include "sinew/sim/gait/reference_motion.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

// a 1 s periodic table: knee -10 deg at 0 and 1 s, -50 deg at 0.5 s; pelvis_tx at 1.2 m/s
MotionTable knee_table(double t0) {
  MotionTable table("ref", {"pelvis_tx", "knee_angle_r"}, /*in_degrees=*/true);
  table.add_row(t0 + 0.0, {0.0, -10});
  table.add_row(t0 + 0.5, {0.6, -50});
  table.add_row(t0 + 1.0, {1.2, -10});
  return table;
}

TEST(ReferenceMotion, ReadsAtTimesFromTheFirstRowAndRepeats) {
  ReferenceMotion ref(knee_table(/*t0=*/3.0));
  EXPECT_DOUBLE_EQ(ref.period_s(), 1.0);
  const double deg = M_PI / 180;
  EXPECT_NEAR(ref.value("knee_angle_r", 0.25), -30 * deg, 1e-12);
  EXPECT_NEAR(ref.value("knee_angle_r", 2.25), -30 * deg, 1e-12);   // two periods later
  EXPECT_NEAR(ref.value("knee_angle_r", -0.75), -30 * deg, 1e-12);  // and one before
  EXPECT_NEAR(ref.value("pelvis_tx", 0.25), 0.3, 1e-12);            // translations stay in m
  EXPECT_NEAR(ref.phase(2.75), 0.75, 1e-12);
}

TEST(ReferenceMotion, RatesAreContinuousAcrossTheWrap) {
  ReferenceMotion ref(knee_table(0.0));
  const double deg = M_PI / 180;
  EXPECT_NEAR(ref.rate("knee_angle_r", 0.25), -80 * deg, 1e-9);
  EXPECT_NEAR(ref.rate("knee_angle_r", 0.75), 80 * deg, 1e-9);
  // pelvis_tx grows over the table; across the wrap its rate is still the walking speed
  EXPECT_NEAR(ref.rate("pelvis_tx", 0.999), 1.2, 1e-9);
  EXPECT_NEAR(ref.rate("pelvis_tx", 1.0), 1.2, 1e-9);
  EXPECT_NEAR(ref.rate("pelvis_tx", 0.5), 1.2, 1e-9);
}

TEST(ReferenceMotion, NeedsTwoRows) {
  MotionTable one("one", {"knee_angle_r"}, true);
  one.add_row(0.0, {0});
  EXPECT_THROW(ReferenceMotion{one}, UserError);
}

}  // namespace
}  // namespace sinew
