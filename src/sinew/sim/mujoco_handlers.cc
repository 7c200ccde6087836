#include "sinew/sim/mujoco_handlers.h"

#include <mujoco/mujoco.h>

#include <cstdio>

namespace sinew {
namespace {

void print_warning(const char* message) { std::fprintf(stderr, "mujoco: %s\n", message); }

// MuJoCo is built with unwind tables, so the exception passes through its frames.
void throw_error(const char* message) { throw MujocoError(message); }

}  // namespace

void install_mujoco_handlers() {
  mju_user_warning = print_warning;
  mju_user_error = throw_error;
}

}  // namespace sinew
