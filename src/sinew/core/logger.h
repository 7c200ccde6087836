// A run's log: every line goes to the log file with a timestamp; lines at or above the console
// level also go to stderr. Thread-safe. One Logger per run, passed to whoever logs.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>

namespace sinew {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class Logger {
 public:
  // Console only until open_file() is called.
  explicit Logger(LogLevel console_level = LogLevel::kInfo);

  // Appends to `path` from now on; throws std::runtime_error when it cannot be opened.
  void open_file(const std::filesystem::path& path);

  void log(LogLevel level, const std::string& message);
  template <typename... Args>
  void info(fmt::format_string<Args...> f, Args&&... args) {
    log(LogLevel::kInfo, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void warn(fmt::format_string<Args...> f, Args&&... args) {
    log(LogLevel::kWarn, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void error(fmt::format_string<Args...> f, Args&&... args) {
    log(LogLevel::kError, fmt::format(f, std::forward<Args>(args)...));
  }
  template <typename... Args>
  void debug(fmt::format_string<Args...> f, Args&&... args) {
    log(LogLevel::kDebug, fmt::format(f, std::forward<Args>(args)...));
  }

  // Writes a line to the console that the next log line or progress line replaces (TTY only;
  // elsewhere the line is printed as is). Used by ProgressLine.
  void status(const std::string& line);

 private:
  std::mutex mutex_;
  LogLevel console_level_;
  std::ofstream file_;
  bool console_is_tty_;
  bool status_shown_ = false;  // a status line is on screen and must be cleared first
};

}  // namespace sinew
