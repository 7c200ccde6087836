#include "sinew/serve/handler_lane.h"

#include <algorithm>

namespace sinew {

HandlerLane::HandlerLane(int threads, std::size_t max_waiting)
    : max_waiting_(max_waiting), idle_(std::max(threads, 1)) {
  for (int i = 0; i < idle_; ++i) threads_.emplace_back([this] { work(); });
}

HandlerLane::~HandlerLane() { close(); }

bool HandlerLane::try_submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    // jobs that idle threads are about to take do not count as waiting
    if (closed_ || waiting_.size() >= max_waiting_ + static_cast<std::size_t>(idle_)) {
      return false;
    }
    waiting_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

std::size_t HandlerLane::waiting() const {
  std::lock_guard lock(mutex_);
  return waiting_.size();
}

void HandlerLane::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
    waiting_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void HandlerLane::work() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return closed_ || !waiting_.empty(); });
      if (closed_) return;
      job = std::move(waiting_.front());
      waiting_.pop_front();
      --idle_;
    }
    job();
    job = nullptr;  // what the job holds is released before the thread counts as idle
    {
      std::lock_guard lock(mutex_);
      ++idle_;
    }
  }
}

}  // namespace sinew
