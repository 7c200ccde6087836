// Waiting on a condition in tests, instead of sleeping and hoping it holds by then.
#pragma once

#include <chrono>
#include <thread>

namespace sinew::testing {

// True once `holds()` is true, polling every millisecond; false if it is still false after
// `timeout` (generous: the deadline is only reached when the condition never comes).
template <class Condition>
bool wait_until(Condition holds, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!holds()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace sinew::testing
