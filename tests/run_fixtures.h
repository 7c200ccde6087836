// Running `sinew` in the background the way a user does, for the integration tests of the run
// lifecycle and of hardening: a training process, its run folder, and `sinew ctl`.
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "test_process.h"

namespace sinew {
namespace fs = std::filesystem;

inline fs::path test_dir() { return testing::fresh_test_dir("sinew_life_"); }

inline testing::ProcessResult sinew_cmd(std::vector<std::string> args, double timeout_s = 120) {
  args.insert(args.begin(), SINEW_BINARY);
  return testing::run_process(args, timeout_s);
}

// A training process started in the background, with its output going to files.
class Background {
 public:
  explicit Background(const std::vector<std::string>& args, const fs::path& dir) : dir_(dir) {
    pid_ = fork();
    if (pid_ == 0) {
      sigset_t none;
      sigemptyset(&none);
      sigprocmask(SIG_SETMASK, &none, nullptr);
      freopen((dir / "stdout.txt").c_str(), "w", stdout);
      freopen((dir / "stderr.txt").c_str(), "w", stderr);
      std::vector<char*> argv;
      std::string bin = SINEW_BINARY;
      argv.push_back(bin.data());
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }
  ~Background() {
    if (pid_ > 0 && !reaped_) {
      kill(pid_, SIGKILL);
      wait();
    }
  }
  void signal(int sig) { kill(pid_, sig); }
  // Waits for the exit; returns the exit code (128 + signal when killed).
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    reaped_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string err() const { return testing::read_file(dir_ / "stderr.txt"); }
  pid_t pid() const { return pid_; }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  bool reaped_ = false;
};

// The single run folder under root/<experiment>, waiting up to `timeout_s` for it to appear.
inline fs::path wait_for_run(const fs::path& root, double timeout_s = 30,
                             const std::string& experiment = "pendulum_ppo") {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::is_directory(root / experiment)) {
      for (const auto& e : fs::directory_iterator(root / experiment)) {
        if (fs::exists(e.path() / "control.json")) return e.path();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

// `sinew ctl <action> --run <run>`'s answer; its exit code is checked unless expect_code < 0.
inline nlohmann::json ctl(const std::string& action, const fs::path& run, int expect_code = 0,
                          std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"ctl", action, "--run", run.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  testing::ProcessResult r = sinew_cmd(args);
  if (expect_code >= 0) EXPECT_EQ(r.exit_code, expect_code) << action << ": " << r.out << r.err;
  try {
    return nlohmann::json::parse(r.out);
  } catch (...) {
    return {};
  }
}

// `sinew ctl status` of `run` once `until` holds for it, polling for up to `timeout_s` (the last
// status when it never does).
inline nlohmann::json wait_for_status(const fs::path& run,
                                      const std::function<bool(const nlohmann::json&)>& until,
                                      double timeout_s = 60) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  nlohmann::json status;
  do {
    status = ctl("status", run, /*expect_code=*/-1);
    if (status.is_object() && until(status)) return status;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  } while (std::chrono::steady_clock::now() < deadline);
  return status;
}

}  // namespace sinew
