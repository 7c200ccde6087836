// Where MuJoCo's messages go. MuJoCo reports through two process-wide function pointers in
// libmujoco, mju_user_warning and mju_user_error; they are the one piece of global mutable
// state sinew sets (STYLE.md: no global mutable state), because MuJoCo offers no per-model or
// per-data alternative. install_mujoco_handlers() sets both once, at start-up (cli/main.cc),
// before any thread runs MuJoCo; tests that need them call it too (it is idempotent).
//
// Warnings (mju_warning) go to stderr instead of MUJOCO_LOG.TXT in the working directory.
// Fatal errors (mju_error: an mjData stack or arena too small, an impossible model state) would
// by default print and call exit(), ending the process without the final checkpoint; the
// handler throws MujocoError instead, which unwinds to the caller (an actor thread's guard, the
// CLI) and is reported there. The mjData that was being stepped must not be used afterwards.
#pragma once

#include <stdexcept>
#include <string>

namespace sinew {

// A fatal MuJoCo error (mju_error); what() is "mujoco: " followed by MuJoCo's message.
class MujocoError : public std::runtime_error {
 public:
  explicit MujocoError(const std::string& message) : std::runtime_error("mujoco: " + message) {}
};

// Sets mju_user_warning (print to stderr) and mju_user_error (throw MujocoError). Safe to call
// more than once; call it before threads use MuJoCo.
void install_mujoco_handlers();

}  // namespace sinew
