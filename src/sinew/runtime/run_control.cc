#include "sinew/runtime/run_control.h"

namespace sinew {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

RunControl::RunControl(int num_actors)
    : num_actors_(num_actors), actor_parked_(num_actors, false), beats_(num_actors + 1) {
  for (auto& b : beats_) b.last_ns.store(now_ns());
}

void RunControl::request_pause(bool learner_only) {
  std::lock_guard lock(mutex_);
  learner_only_.store(learner_only);
  pause_requested_.store(true);
  changed_.notify_all();
}

bool RunControl::wait_until_parked(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] {
    return stopping_.load() || (parked_actors_ == num_actors_ && learner_parked_);
  }) && !stopping_.load();
}

bool RunControl::wait_until_learner_parked(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return stopping_.load() || learner_parked_; }) &&
         !stopping_.load();
}

std::vector<bool> RunControl::parked_actors() const {
  std::lock_guard lock(mutex_);
  return actor_parked_;
}

void RunControl::release() {
  std::lock_guard lock(mutex_);
  pause_requested_.store(false);
  learner_only_.store(false);
  changed_.notify_all();
}

void RunControl::stop() {
  std::lock_guard lock(mutex_);
  stopping_.store(true);
  changed_.notify_all();
}

bool RunControl::park(int worker, const std::function<void()>& on_park,
                      const std::function<void()>& on_resume) {
  const bool is_learner = worker == num_actors_;
  std::unique_lock lock(mutex_);
  if (!pause_requested_.load() || stopping_.load()) return !stopping_.load();
  if (on_park) {
    // outside the lock: the hook may take time (a device sending its neutral action)
    lock.unlock();
    on_park();
    lock.lock();
  }
  if (is_learner) {
    learner_parked_ = true;
  } else {
    ++parked_actors_;
    actor_parked_[worker] = true;
  }
  changed_.notify_all();
  // wait without spinning; wake twice a second to keep the heartbeat fresh
  while (pause_requested_.load() && !stopping_.load()) {
    beat(worker, Activity::kParked);
    changed_.wait_for(lock, std::chrono::milliseconds(500));
  }
  if (is_learner) {
    learner_parked_ = false;
  } else {
    --parked_actors_;
    actor_parked_[worker] = false;
  }
  const bool go_on = !stopping_.load();
  lock.unlock();
  if (go_on && on_resume) on_resume();
  return go_on;
}

bool RunControl::actor_boundary(int id, const std::function<void()>& on_park,
                                const std::function<void()>& on_resume) {
  return park(id, on_park, on_resume);
}

bool RunControl::learner_boundary() { return park(num_actors_); }

bool RunControl::all_actors_parked() const {
  std::lock_guard lock(mutex_);
  return pause_requested_.load() && parked_actors_ == num_actors_;
}

void RunControl::beat(int worker, Activity activity) {
  beats_[worker].last_ns.store(now_ns(), std::memory_order_relaxed);
  beats_[worker].activity.store(static_cast<int>(activity), std::memory_order_relaxed);
}

std::vector<RunControl::WorkerStatus> RunControl::workers() const {
  std::vector<WorkerStatus> out;
  const int64_t now = now_ns();
  for (int i = 0; i <= num_actors_; ++i) {
    WorkerStatus s;
    s.name = i == num_actors_ ? "learner" : "actor " + std::to_string(i);
    s.activity = static_cast<Activity>(beats_[i].activity.load());
    s.silent_s = static_cast<double>(now - beats_[i].last_ns.load()) * 1e-9;
    out.push_back(s);
  }
  return out;
}

}  // namespace sinew
