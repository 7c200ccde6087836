// A run's clock: seconds of training, earlier sessions included (a resumed checkpoint's run
// time), user pauses excluded. Checkpoints record it, progress lines and /api/status show it,
// and checkpoints and evaluation episodes by minutes are scheduled on it.
//
// Threads: start(), pause() and resume() are for the control thread; now_s(), session_s() and
// paused() may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <mutex>

namespace sinew {

class RunClock {
 public:
  // Run time carried over from earlier sessions (0 for a new run). Before start().
  void set_base(double seconds);
  // This session starts now.
  void start();
  // Run seconds: earlier sessions, plus this session since start(), minus user pauses.
  double now_s() const;
  // Wall seconds since start(), pauses included.
  double session_s() const;

  bool paused() const { return paused_.load(); }
  // A user pause begins / ends; each is a no-op when the clock already is in that state.
  void pause();
  void resume();

 private:
  using Clock = std::chrono::steady_clock;
  mutable std::mutex mutex_;
  double base_s_ = 0;          // GUARDED_BY(mutex_)
  double paused_total_s_ = 0;  // GUARDED_BY(mutex_) this session's time spent user-paused
  Clock::time_point started_ = Clock::now();  // GUARDED_BY(mutex_)
  Clock::time_point paused_since_;            // GUARDED_BY(mutex_)
  std::atomic<bool> paused_{false};           // written under mutex_
};

}  // namespace sinew
