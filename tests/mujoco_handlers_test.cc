// MuJoCo's fatal errors become exceptions the caller reports, instead of exit().
#include "sinew/sim/mujoco_handlers.h"

#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include "sinew/sim/mujoco_model.h"

namespace sinew {
namespace {

constexpr const char* kBall =
    R"(<mujoco><worldbody><body><freejoint/><geom size="0.1"/></body></worldbody></mujoco>)";

TEST(MujocoHandlers, ErrorsThrowInsteadOfEndingTheProcess) {
  install_mujoco_handlers();
  try {
    mju_error("boom");
    FAIL() << "mju_error returned";
  } catch (const MujocoError& e) {
    EXPECT_STREQ(e.what(), "mujoco: boom");
  }
}

TEST(MujocoHandlers, AnEngineErrorUnwindsToTheCallerAndMujocoGoesOn) {
  install_mujoco_handlers();
  auto model = MujocoModel::from_xml(kBall, "ball");
  MjDataPtr data = model->make_data();
  // asking an mjData's stack for more than it holds is one of MuJoCo's fatal errors
  EXPECT_THROW(mj_stackAlloc(data.get(), 1 << 30), MujocoError);
  MjDataPtr fresh = model->make_data();
  mj_step(model->get(), fresh.get());
  EXPECT_GT(fresh->time, 0);
}

}  // namespace
}  // namespace sinew
