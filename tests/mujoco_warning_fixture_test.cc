// The MuJoCo warning fixture's check: every counted warning is listed.
#include "mujoco_warning_fixture.h"

#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include "sinew/sim/mujoco_handlers.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace {

TEST(MujocoWarningFixture, ListsEveryCountedWarning) {
  install_mujoco_handlers();  // warnings to stderr, not MUJOCO_LOG.TXT
  auto model = MujocoModel::from_xml(
      R"(<mujoco><worldbody><body><freejoint/><geom size="0.1"/></body></worldbody></mujoco>)",
      "ball");
  MjDataPtr data = model->make_data();
  mj_step(model->get(), data.get());
  EXPECT_EQ(testing::mujoco_warnings(data.get()), "");
  mj_warning(data.get(), mjWARN_BADQACC, 0);
  mj_warning(data.get(), mjWARN_BADQACC, 0);
  mj_warning(data.get(), mjWARN_INERTIA, 3);
  EXPECT_EQ(testing::mujoco_warnings(data.get()), "0 (1), 6 (2)");
}

}  // namespace
}  // namespace sinew
