// A test fixture that fails a test whose MuJoCo simulation raised any warning. MuJoCo keeps
// stepping after a warning (bad accelerations, a full contact buffer, a stack too small), so a
// test could otherwise pass on a broken simulation. Envs and data made in a test are handed to
// keep(), which holds them until after the test; TearDown() then checks every counter in
// mjData::warning. Tests that provoke warnings on purpose (divergence) do not use it.
#pragma once

#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sinew/env/env.h"
#include "sinew/sim/mujoco_env.h"
#include "sinew/sim/mujoco_model.h"

namespace sinew::testing {

// The warnings `d` has counted, one "index (count)" each, comma-separated; "" when none.
inline std::string mujoco_warnings(const mjData* d) {
  std::string out;
  for (int i = 0; i < mjNWARNING; ++i) {
    if (d->warning[i].number == 0) continue;
    out += (out.empty() ? "" : ", ") + std::to_string(i) + " (" +
           std::to_string(d->warning[i].number) + ")";
  }
  return out;
}

class MujocoWarningTest : public ::testing::Test {
 protected:
  // Keeps `env` alive until the warnings are checked and returns it. A MuJoCo env's data is
  // checked; other envs are only kept.
  template <typename E>
  E& keep(std::unique_ptr<E> env) {
    E& ref = *env;
    envs_.push_back(std::move(env));
    return ref;
  }
  // Keeps `data` (of a model the test holds) until the warnings are checked; returns it.
  mjData* keep(MjDataPtr data) {
    mjData* d = data.get();
    data_.push_back(std::move(data));
    return d;
  }

  void TearDown() override {
    for (const auto& env : envs_) {
      if (const auto* mj = dynamic_cast<const MujocoEnv*>(env.get())) {
        EXPECT_EQ(mujoco_warnings(mj->data()), "")
            << env->spec().name << ": MuJoCo warnings raised (mjtWarning index (count))";
      }
    }
    for (const auto& d : data_) {
      EXPECT_EQ(mujoco_warnings(d.get()), "")
          << "MuJoCo warnings raised (mjtWarning index (count))";
    }
  }

 private:
  std::vector<std::unique_ptr<Env>> envs_;
  std::vector<MjDataPtr> data_;
};

}  // namespace sinew::testing
