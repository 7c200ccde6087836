#include "sinew/algo/gae.h"

#include <vector>

namespace sinew {

void compute_gae(int64_t T, int64_t N, std::span<const float> rewards,
                 std::span<const float> values, std::span<const float> next_values,
                 std::span<const uint8_t> terminated, std::span<const uint8_t> ended, double gamma,
                 double lambda, std::span<float> advantages, std::span<float> returns) {
  std::vector<double> running(N, 0.0);  // A_{t+1} per env
  for (int64_t t = T - 1; t >= 0; --t) {
    for (int64_t n = 0; n < N; ++n) {
      int64_t i = t * N + n;
      double bootstrap = terminated[i] ? 0.0 : gamma * next_values[i];
      double delta = rewards[i] + bootstrap - values[i];
      double carry = ended[i] ? 0.0 : gamma * lambda * running[n];
      running[n] = delta + carry;
      advantages[i] = static_cast<float>(running[n]);
      returns[i] = static_cast<float>(running[n] + values[i]);
    }
  }
}

}  // namespace sinew
