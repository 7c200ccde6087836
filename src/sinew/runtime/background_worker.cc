#include "sinew/runtime/background_worker.h"

namespace sinew {

BackgroundWorker::BackgroundWorker() : thread_([this] { loop(); }) {}

BackgroundWorker::~BackgroundWorker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

bool BackgroundWorker::try_submit(std::function<void()> job) {
  {
    std::lock_guard lock(mutex_);
    if (job_ || stopping_) return false;
    job_ = std::move(job);
  }
  changed_.notify_all();
  return true;
}

void BackgroundWorker::wait_idle() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !job_; });
}

void BackgroundWorker::loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    changed_.wait(lock, [&] { return job_ || stopping_; });
    if (!job_) return;  // stopping and idle
    std::function<void()> job = job_;
    lock.unlock();
    job();
    lock.lock();
    job_ = nullptr;
    changed_.notify_all();
  }
}

}  // namespace sinew
