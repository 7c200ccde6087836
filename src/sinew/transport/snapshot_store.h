// Holds the newest immutable snapshot of something many threads read (parameters, normalizer
// statistics). The writer publishes a new shared_ptr<const T>; readers take a reference that
// stays valid however many versions are published after it. Publishing and reading only swap a
// pointer under a mutex, so neither side waits for the other's work.
#pragma once

#include <memory>
#include <mutex>

namespace sinew {

template <typename T>
class SnapshotStore {
 public:
  SnapshotStore() = default;
  explicit SnapshotStore(std::shared_ptr<const T> initial) : current_(std::move(initial)) {}

  // Replaces the current snapshot. Never blocks for longer than a pointer swap.
  void publish(std::shared_ptr<const T> snapshot) {
    std::lock_guard lock(mutex_);
    current_.swap(snapshot);
    // the old snapshot is released outside the lock when `snapshot` goes out of scope
  }

  // The newest snapshot (null before the first publish).
  std::shared_ptr<const T> latest() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const T> current_;
};

}  // namespace sinew
