// Times two workloads in alternating slices, so that both see the same machine: a benchmark's
// ratio of one to the other (sinew's work against a raw limit) then stays meaningful on a
// machine whose speed drifts (noisy neighbours, frequency changes), where timing one after the
// other can move the ratio by 30 %.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace sinew {

struct InterleavedTimes {
  double a_s = 0, b_s = 0;         // seconds spent in each workload
  int64_t a_runs = 0, b_runs = 0;  // how often each ran
};

// Seconds on the steady clock since an arbitrary start: the clock time_interleaved reads unless
// it is given another.
inline double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Alternates `a` and `b`, each run repeatedly for about `slice_s` (at least once) per turn, `a`
// first, until both have run for `seconds` in total. Each call of a workload is one unit of its
// work (the caller counts what a unit is worth). `now_s` reads the clock [s].
inline InterleavedTimes time_interleaved(double seconds, double slice_s,
                                         const std::function<void()>& a,
                                         const std::function<void()>& b,
                                         const std::function<double()>& now_s = steady_seconds) {
  InterleavedTimes t;
  auto turn = [&](const std::function<void()>& work, double* total, int64_t* runs) {
    const double start = now_s();
    double spent = 0;
    do {
      work();
      ++*runs;
      spent = now_s() - start;
    } while (spent < slice_s);
    *total += spent;
  };
  while (t.a_s < seconds || t.b_s < seconds) {
    turn(a, &t.a_s, &t.a_runs);
    turn(b, &t.b_s, &t.b_runs);
  }
  return t;
}

}  // namespace sinew
