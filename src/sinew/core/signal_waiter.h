// Turns SIGINT, SIGTERM and SIGHUP into values the control thread waits for. SIGHUP (the
// terminal was closed) is a stop request like SIGTERM, not a kill. SIGPIPE is ignored while a
// SignalWaiter exists: a closed terminal or a reader that went away (`sinew train | head`) then
// fails a write instead of killing the run before its final checkpoint.
//
// A handler that only writes the signal number into a pipe (the self-pipe pattern) is installed
// for these signals, so whichever thread the kernel picks runs it harmlessly: that includes
// threads libraries start before main() (OpenBLAS's pool), which no signal mask set later can
// cover. The pipe's write end is the one piece of process-wide state this needs; one
// SignalWaiter may exist at a time.
#pragma once

namespace sinew {

class SignalWaiter {
 public:
  // Installs the handlers. The destructor restores the previous ones.
  SignalWaiter();
  ~SignalWaiter();
  SignalWaiter(const SignalWaiter&) = delete;
  SignalWaiter& operator=(const SignalWaiter&) = delete;

  // Waits up to `timeout_s` seconds; returns the signal number received, or 0 on timeout.
  // Signals that arrive while nobody waits are kept until the next wait().
  int wait(double timeout_s);

 private:
  struct Saved;
  Saved* saved_;
  int read_fd_ = -1;
};

}  // namespace sinew
