#include "sinew/algo/vtrace.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sinew {

void compute_vtrace(int64_t T, int64_t N, std::span<const float> rewards,
                    std::span<const float> values, std::span<const float> next_values,
                    std::span<const uint8_t> terminated, std::span<const uint8_t> ended,
                    std::span<const float> log_rhos, const VtraceOptions& o, std::span<float> vs,
                    std::span<float> advantages) {
  std::vector<double> correction(N, 0.0);  // vs_{t+1} - V(s_{t+1}) per env; 0 past the block
  for (int64_t t = T - 1; t >= 0; --t) {
    for (int64_t n = 0; n < N; ++n) {
      const int64_t i = t * N + n;
      const double ratio = std::exp(static_cast<double>(log_rhos[i]));
      const double rho = std::min(o.rho_clip, ratio);
      const double c = o.lambda * std::min(o.c_clip, ratio);
      const double discount = terminated[i] ? 0.0 : o.gamma;
      const double next_correction = ended[i] ? 0.0 : correction[n];
      const double td = rewards[i] + discount * next_values[i] - values[i];
      const double trace = o.gamma * c * next_correction;
      correction[n] = rho * td + trace;
      vs[i] = static_cast<float>(values[i] + correction[n]);
      advantages[i] = static_cast<float>(td + trace);
    }
  }
}

}  // namespace sinew
