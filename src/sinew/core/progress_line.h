// The console progress line of a training run:
//   step 120.0k/300.0k (40%) | 25.3k steps/s | return -312.4 | lag 0.6 | 00:05 elapsed, ETA 00:07
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sinew {

struct Progress {
  int64_t step = 0;
  int64_t total_steps = 0;
  double steps_per_second = 0;
  std::optional<double> mean_return;
  std::optional<double> policy_lag;
  double elapsed_s = 0;
};

// Formats one progress line; the ETA comes from the remaining steps at the current rate.
std::string format_progress(const Progress& p);

// "1.2k", "3.4M" for counts.
std::string human_count(double value);
// "05:03" or "1:02:03" for a duration in seconds; "--:--" when unknown or infinite.
std::string human_duration(double seconds);

}  // namespace sinew
