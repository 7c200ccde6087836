// MimicMeasure: tracking a recorded motion.
#include "sinew/sim/gait/measures/mimic_measure.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sinew/sim/gait/measures/all_measures.h"

namespace sinew {
namespace {

TEST(MimicMeasure, ErrorIsZeroOnTheReferenceAndEndsPastTheLimit) {
  MotionTable ref("ref", {"knee_angle_r"}, /*in_degrees=*/true);
  ref.add_row(0.0, {-10});
  ref.add_row(1.0, {-30});
  MimicMeasure mimic(ref, 0, /*average_limit=*/0, /*peak_limit=*/0.05);
  std::vector<std::string> names = {"pelvis_tx", "knee_angle_r"};
  std::vector<double> q = {5.0, -20 * M_PI / 180};
  GaitSample s;
  s.dof_names = names;
  s.dof_positions = q;
  s.time_s = 0.5;
  EXPECT_NEAR(mimic.value(s), 0.0, 1e-12);  // pelvis_tx is never tracked
  EXPECT_FALSE(mimic.terminate());
  q[1] = -40 * M_PI / 180;  // 20 deg off: 0.1218 rad^2 > 0.05
  EXPECT_NEAR(mimic.value(s), std::pow(20 * M_PI / 180, 2), 1e-12);
  EXPECT_TRUE(mimic.terminate());
  mimic.reset();
  EXPECT_FALSE(mimic.terminate());
}

}  // namespace
}  // namespace sinew
