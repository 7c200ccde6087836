#include "sinew/core/signal_waiter.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <cmath>
#include <ctime>

namespace sinew {

struct SignalWaiter::Mask {
  sigset_t set;
};

namespace {
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}
}  // namespace

SignalWaiter::SignalWaiter() : old_mask_(new Mask) {
  sigset_t set = stop_signals();
  pthread_sigmask(SIG_BLOCK, &set, &old_mask_->set);
}

SignalWaiter::~SignalWaiter() {
  pthread_sigmask(SIG_SETMASK, &old_mask_->set, nullptr);
  delete old_mask_;
}

int SignalWaiter::wait(double timeout_s) {
  sigset_t set = stop_signals();
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(std::floor(timeout_s));
  timeout.tv_nsec = static_cast<long>((timeout_s - std::floor(timeout_s)) * 1e9);
  int sig = sigtimedwait(&set, nullptr, &timeout);
  return sig > 0 ? sig : 0;
}

}  // namespace sinew
