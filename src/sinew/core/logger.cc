#include "sinew/core/logger.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>

namespace sinew {
namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
  }
  return "?";
}

std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", &local);
  return fmt::format("{}.{:03d}", buffer, static_cast<int>(ms.count()));
}

}  // namespace

Logger::Logger(LogLevel console_level)
    : console_level_(console_level), console_is_tty_(isatty(STDERR_FILENO) == 1) {}

void Logger::open_file(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  file_.open(path, std::ios::app);
  if (!file_) throw std::runtime_error("cannot open log file " + path.string());
}

void Logger::log(LogLevel level, const std::string& message) {
  std::lock_guard lock(mutex_);
  if (file_.is_open()) {
    file_ << timestamp() << " [" << level_name(level) << "] " << message << '\n';
    file_.flush();
  }
  if (level < console_level_) return;
  if (status_shown_) std::fputs("\r\033[K", stderr);
  status_shown_ = false;
  if (level >= LogLevel::kWarn) {
    std::fprintf(stderr, "%s: %s\n", level_name(level), message.c_str());
  } else {
    std::fprintf(stderr, "%s\n", message.c_str());
  }
  std::fflush(stderr);
}

void Logger::status(const std::string& line) {
  std::lock_guard lock(mutex_);
  if (console_is_tty_) {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
    status_shown_ = true;
  } else {
    std::fprintf(stderr, "%s\n", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace sinew
