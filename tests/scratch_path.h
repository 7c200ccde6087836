// A temp-file path no other test process uses, for tests that write a scratch file.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace sinew::testing {

// <temp dir>/<stem>_<running test>_<pid><extension>. CTest runs every test as its own process,
// two at a time, so a fixed name would let two tests overwrite each other's file.
inline std::filesystem::path scratch_path(const std::string& stem, const std::string& extension) {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name =
      stem + "_" + (test ? test->name() : "none") + "_" + std::to_string(::getpid()) + extension;
  return std::filesystem::temp_directory_path() / name;
}

}  // namespace sinew::testing
