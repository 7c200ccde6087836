#include "sinew/core/progress_line.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

std::string human_count(double value) {
  double magnitude = std::fabs(value);
  if (magnitude >= 1e9) return fmt::format("{:.2f}G", value / 1e9);
  if (magnitude >= 1e6) return fmt::format("{:.2f}M", value / 1e6);
  if (magnitude >= 1e3) return fmt::format("{:.1f}k", value / 1e3);
  return fmt::format("{:.0f}", value);
}

std::string human_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  auto total = static_cast<int64_t>(seconds + 0.5);
  int64_t h = total / 3600, m = (total / 60) % 60, s = total % 60;
  if (h > 0) return fmt::format("{}:{:02d}:{:02d}", h, m, s);
  return fmt::format("{:02d}:{:02d}", m, s);
}

std::string format_progress(const Progress& p) {
  std::string line = fmt::format("step {}/{}", human_count(static_cast<double>(p.step)),
                                 human_count(static_cast<double>(p.total_steps)));
  if (p.total_steps > 0) {
    line += fmt::format(" ({:.0f}%)",
                        100.0 * static_cast<double>(p.step) / static_cast<double>(p.total_steps));
  }
  line += fmt::format(" | {} steps/s", human_count(p.steps_per_second));
  if (p.mean_return) line += fmt::format(" | return {:.1f}", *p.mean_return);
  if (p.policy_lag) line += fmt::format(" | lag {:.1f}", *p.policy_lag);
  const double remaining = static_cast<double>(std::max<int64_t>(0, p.total_steps - p.step));
  double eta = remaining == 0 ? 0.0 : p.steps_per_second > 0 ? remaining / p.steps_per_second : NAN;
  line += fmt::format(" | {} elapsed, ETA {}", human_duration(p.elapsed_s), human_duration(eta));
  return line;
}

}  // namespace sinew
