// Runs a child process the way a user's shell would, for integration tests of the binary.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sinew::testing {

struct ProcessResult {
  int exit_code = -1;      // exit status, or 128 + signal when killed by one
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  bool timed_out = false;  // killed after timeout_s
};

// Runs `args` (args[0] is the program) in `cwd` (empty: the current folder). If `signal_after_s`
// is set, sends `signal_number` after that many seconds. Kills the child with SIGKILL after
// `timeout_s`.
ProcessResult run_process(const std::vector<std::string>& args, double timeout_s,
                          const std::string& cwd = "",
                          std::optional<double> signal_after_s = std::nullopt,
                          int signal_number = 2);

// An empty folder under the temp dir named after `prefix` and the running test.
std::filesystem::path fresh_test_dir(const std::string& prefix);

// The whole content of a file ("" when missing).
std::string read_file(const std::filesystem::path& path);

}  // namespace sinew::testing
