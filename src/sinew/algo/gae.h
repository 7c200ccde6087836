// Generalized advantage estimation (Schulman et al. 2016) over a (T x N) block of steps,
// with time-limit truncation handled by bootstrapping. Plain C++ over spans.
#pragma once

#include <cstdint>
#include <span>

namespace sinew {

// Inputs are (T x N), time-major (index t * N + n):
//   rewards      r_t
//   values       V(s_t)
//   next_values  the value of the state after step t: V(s_{t+1}), or for a step that was
//                truncated by the time limit, V(final observation of that episode)
//   terminated   1 where s_{t+1} is terminal (no bootstrap: its value is 0)
//   ended        1 where the episode ended after step t (terminated or truncated): the
//                advantage recursion does not cross into the next episode
// Outputs (T x N):
//   advantages   A_t = delta_t + gamma * lambda * (1 - ended_t) * A_{t+1},
//                delta_t = r_t + gamma * (1 - terminated_t) * next_values_t - V(s_t)
//   returns      A_t + V(s_t) (value targets)
void compute_gae(int64_t T, int64_t N, std::span<const float> rewards,
                 std::span<const float> values, std::span<const float> next_values,
                 std::span<const uint8_t> terminated, std::span<const uint8_t> ended, double gamma,
                 double lambda, std::span<float> advantages, std::span<float> returns);

}  // namespace sinew
