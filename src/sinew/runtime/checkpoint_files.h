// Reading and writing single checkpoint files, with errors that name the file.
#pragma once

#include <fmt/format.h>
#include <torch/serialize.h>

#include <filesystem>
#include <string>

#include "sinew/core/errors.h"

namespace sinew {

// Writes `bytes` to `path` (binary). Throws std::runtime_error on I/O errors.
void write_bytes(const std::filesystem::path& path, const std::string& bytes);

// torch::save / torch::load of a module or optimizer; load throws UserError naming the file.
template <typename T>
void save_torch(const T& value, const std::filesystem::path& path) {
  torch::save(value, path.string());
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
