// One thread that runs jobs off the caller's thread, one at a time. The control thread records
// evaluation episodes for the viewer this way, so progress lines, signals, checkpoints and the
// control API never wait for an episode to be simulated. Jobs report their own errors (an
// exception escaping a job is logged by the caller's job wrapper, not here).
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace sinew {

class BackgroundWorker {
 public:
  BackgroundWorker();
  // Finishes the job running or waiting, then joins the thread.
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Starts `job` on the worker, unless a job is still running or waiting: then returns false
  // and `job` is dropped (the caller tries again at its next turn). `job` must not throw.
  bool try_submit(std::function<void()> job);

  // Blocks until no job is running or waiting.
  void wait_idle();

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable changed_;
  std::function<void()> job_;  // GUARDED_BY(mutex_) the job waiting or running; empty: idle
  bool stopping_ = false;      // GUARDED_BY(mutex_)
  std::thread thread_;         // last: starts after the members above exist
};

}  // namespace sinew
