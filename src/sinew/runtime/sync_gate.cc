#include "sinew/runtime/sync_gate.h"

#include <algorithm>

namespace sinew {

bool SyncGate::acquire(int64_t steps, std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  if (!changed_.wait_for(lock, wait, [&] { return needed_ > 0 && in_flight_ < needed_ + lead_; }))
    return false;
  in_flight_ += steps;
  return true;
}

void SyncGate::taken(int64_t steps, int64_t needed) {
  {
    std::lock_guard lock(mutex_);
    in_flight_ = std::max<int64_t>(in_flight_ - steps, 0);
    needed_ = needed;
  }
  changed_.notify_all();
}

int64_t SyncGate::in_flight() const {
  std::lock_guard lock(mutex_);
  return in_flight_;
}

}  // namespace sinew
