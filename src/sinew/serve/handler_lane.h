// A fixed set of threads running jobs from a bounded queue: where HttpServer runs its handlers,
// so a handler that blocks holds one lane thread and never the I/O thread.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sinew {

class HandlerLane {
 public:
  // Starts `threads` threads (at least 1); at most `max_waiting` jobs wait while every thread is
  // busy.
  HandlerLane(int threads, std::size_t max_waiting);
  ~HandlerLane();  // close()
  HandlerLane(const HandlerLane&) = delete;
  HandlerLane& operator=(const HandlerLane&) = delete;

  // Queues `job` to run on a lane thread. Never blocks. Returns false, and drops the job, when
  // every thread is busy and max_waiting jobs already wait, or when the lane is closed.
  bool try_submit(std::function<void()> job);

  // Drops the jobs still waiting, then waits for the running ones to return and joins the
  // threads. Idempotent. A job must not call close() of its own lane.
  void close();

  // Jobs queued and not yet taken by a thread (for tests and status pages).
  std::size_t waiting() const;

 private:
  void work();

  const std::size_t max_waiting_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;  // guarded by mutex_
  int idle_ = 0;                               // threads not running a job; guarded by mutex_
  bool closed_ = false;                        // guarded by mutex_
  std::vector<std::thread> threads_;           // joined by close()
};

}  // namespace sinew
