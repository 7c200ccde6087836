#include "sinew/core/signal_waiter.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <stdexcept>

namespace sinew {
namespace {

// The write end of the pipe, for the async-signal-safe handler (see the header).
std::atomic<int> g_signal_pipe_write{-1};

void on_signal(int sig) {
  const int saved_errno = errno;
  const int fd = g_signal_pipe_write.load();
  if (fd >= 0) {
    const unsigned char byte = static_cast<unsigned char>(sig);
    [[maybe_unused]] ssize_t n = ::write(fd, &byte, 1);
  }
  errno = saved_errno;
}

}  // namespace

struct SignalWaiter::Saved {
  struct sigaction interrupt, terminate, hangup, pipe;
  int write_fd = -1;
};

SignalWaiter::SignalWaiter() : saved_(new Saved) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    delete saved_;
    throw std::runtime_error("cannot create the signal pipe");
  }
  read_fd_ = fds[0];
  saved_->write_fd = fds[1];
  g_signal_pipe_write.store(fds[1]);
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  sigaction(SIGINT, &action, &saved_->interrupt);
  sigaction(SIGTERM, &action, &saved_->terminate);
  sigaction(SIGHUP, &action, &saved_->hangup);
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, &saved_->pipe);
}

SignalWaiter::~SignalWaiter() {
  sigaction(SIGINT, &saved_->interrupt, nullptr);
  sigaction(SIGTERM, &saved_->terminate, nullptr);
  sigaction(SIGHUP, &saved_->hangup, nullptr);
  sigaction(SIGPIPE, &saved_->pipe, nullptr);
  g_signal_pipe_write.store(-1);
  ::close(saved_->write_fd);
  ::close(read_fd_);
  delete saved_;
}

int SignalWaiter::wait(double timeout_s) {
  pollfd p{read_fd_, POLLIN, 0};
  const int ms = timeout_s <= 0 ? 0 : static_cast<int>(timeout_s * 1000);
  if (::poll(&p, 1, ms) <= 0) return 0;
  unsigned char byte = 0;
  return ::read(read_fd_, &byte, 1) == 1 ? static_cast<int>(byte) : 0;
}

}  // namespace sinew
