// A bounded multi-producer multi-consumer FIFO queue with timeouts and Close().
//
// push() blocks while the queue is full, pop() while it is empty. Close() wakes every waiter:
// afterwards push() fails at once and pop() drains what is left, then fails. All methods are
// thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>

namespace sinew {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Adds `item`, waiting up to `timeout` for room. Returns false (and leaves `item` untouched)
  // on timeout or when the queue is closed.
  bool push(T& item, std::chrono::milliseconds timeout = std::chrono::hours(24 * 365)) {
    std::unique_lock lock(mutex_);
    if (!not_full_.wait_for(lock, timeout, [&] { return closed_ || items_.size() < capacity_; })) {
      return false;
    }
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // Removes the oldest item, waiting up to `timeout`. Returns nullopt on timeout, or when the
  // queue is closed and empty.
  std::optional<T> pop(std::chrono::milliseconds timeout = std::chrono::hours(24 * 365)) {
    std::unique_lock lock(mutex_);
    if (!not_empty_.wait_for(lock, timeout, [&] { return closed_ || !items_.empty(); })) {
      return std::nullopt;
    }
    if (items_.empty()) return std::nullopt;
    std::optional<T> item(std::move(items_.front()));
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // Wakes all waiters; later pushes fail, pops drain the remaining items.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_full_.notify_all();
    not_empty_.notify_all();
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  std::size_t size() const {
    std::lock_guard lock(mutex_);
    return items_.size();
  }
  std::size_t capacity() const { return capacity_; }

 private:
  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<T> items_;
  bool closed_ = false;
};

}  // namespace sinew
