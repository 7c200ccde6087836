// Helpers of the model store tests: a scratch folder per test and process, and small files.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scratch_path.h"

namespace sinew::testing {

// A fresh folder unique to the running test and process, removed at the end.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& stem) : path_(scratch_path(stem, "")) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& relative) const { return path_ / relative; }

 private:
  std::filesystem::path path_;
};

inline void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline std::string read_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A checkpoint-like artifact folder with a nested file; `seed` varies the contents.
inline std::filesystem::path make_artifact(const std::filesystem::path& dir,
                                           const std::string& seed = "a") {
  write_bytes(dir / "manifest.json", "{\"step\": 100, \"seed\": \"" + seed + "\"}\n");
  write_bytes(dir / "models/policy.pt", std::string(3000, 'p') + seed);
  write_bytes(dir / "models/normalizer.bin", std::string("\0\1\2\3", 4) + seed);
  return dir;
}

// Relative paths of every entry (files and folders) under `dir`, sorted.
inline std::vector<std::string> entries_under(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    out.push_back(std::filesystem::relative(e.path(), dir).generic_string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace sinew::testing
