#include "sinew/runtime/run_clock.h"

namespace sinew {

void RunClock::set_base(double seconds) {
  std::lock_guard lock(mutex_);
  base_s_ = seconds;
}

void RunClock::start() {
  std::lock_guard lock(mutex_);
  started_ = Clock::now();
  paused_total_s_ = 0;
}

double RunClock::now_s() const {
  std::lock_guard lock(mutex_);
  const auto now = Clock::now();
  double paused = paused_total_s_;
  if (paused_.load()) paused += std::chrono::duration<double>(now - paused_since_).count();
  return base_s_ + std::chrono::duration<double>(now - started_).count() - paused;
}

double RunClock::session_s() const {
  std::lock_guard lock(mutex_);
  return std::chrono::duration<double>(Clock::now() - started_).count();
}

void RunClock::pause() {
  std::lock_guard lock(mutex_);
  if (paused_.load()) return;
  paused_since_ = Clock::now();
  paused_.store(true);
}

void RunClock::resume() {
  std::lock_guard lock(mutex_);
  if (!paused_.load()) return;
  paused_total_s_ += std::chrono::duration<double>(Clock::now() - paused_since_).count();
  paused_.store(false);
}

}  // namespace sinew
