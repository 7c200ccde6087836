// Saving and loading LibTorch modules and optimizers in checkpoints, with errors that name the
// file. Other checkpoint files are written with write_file (core/text_file.h).
#pragma once

#include <fmt/format.h>
#include <torch/serialize.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"

namespace sinew {

// torch::save / torch::load of a module or optimizer; load throws UserError naming the file.
// Saving serializes into memory first and then writes the bytes: LibTorch's file writer throws
// from its destructor when the disk fills up, which terminates the process; this way a full
// disk is an ordinary std::runtime_error naming the file ("No space left on device").
template <typename T>
void save_torch(const T& value, const std::filesystem::path& path) {
  std::ostringstream bytes;
  torch::save(value, bytes);
  write_file(path, bytes.str());
}
template <typename T>
void load_torch(T& value, const std::filesystem::path& path) {
  try {
    torch::load(value, path.string());
  } catch (const c10::Error& e) {
    throw UserError(fmt::format("{}: {}", path.string(), e.what_without_backtrace()));
  }
}

}  // namespace sinew
