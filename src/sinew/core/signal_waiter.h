// Turns SIGINT and SIGTERM into values the control thread waits for, without handlers or
// global state: the signals are blocked in every thread and collected with sigtimedwait.
#pragma once

namespace sinew {

class SignalWaiter {
 public:
  // Blocks SIGINT and SIGTERM in the calling thread; threads started afterwards inherit the
  // mask. Construct before starting worker threads. The destructor restores the old mask.
  SignalWaiter();
  ~SignalWaiter();
  SignalWaiter(const SignalWaiter&) = delete;
  SignalWaiter& operator=(const SignalWaiter&) = delete;

  // Waits up to `timeout_s` seconds; returns the signal number received, or 0 on timeout.
  int wait(double timeout_s);

 private:
  struct Mask;
  Mask* old_mask_;
};

}  // namespace sinew
