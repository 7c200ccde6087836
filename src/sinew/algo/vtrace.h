// V-trace off-policy correction (Espeholt et al. 2018, IMPALA) over a (T x N) block, for data
// produced by older parameters (policy lag), with the same episode-end handling as GAE.
#pragma once

#include <cstdint>
#include <span>

namespace sinew {

struct VtraceOptions {
  double gamma = 0.99;
  double lambda = 1.0;    // multiplies the trace coefficients c_t (as in IMPALA's code)
  double rho_clip = 1.0;  // rho_bar: truncation of the importance weight in the TD error
  double c_clip = 1.0;    // c_bar: truncation of the trace coefficients
};

// Inputs are (T x N), time-major, as for compute_gae, plus
//   log_rhos   log(pi(a_t|s_t) / mu(a_t|s_t)): current over behaviour policy
// With ratio_t = exp(log_rhos_t), rho_t = min(rho_clip, ratio_t), c_t = lambda min(c_clip,
// ratio_t):
//   delta_t = rho_t (r_t + gamma (1 - terminated_t) next_values_t - V(s_t))
//   vs_t - V(s_t) = delta_t + gamma c_t (1 - ended_t) (vs_{t+1} - V(s_{t+1}))
//   advantages_t = delta_t / rho_t + gamma c_t (1 - ended_t) (vs_{t+1} - V(s_{t+1}))
// i.e. the TD error at t without its own importance weight, because PPO's probability ratio
// already weights step t, plus the V-trace-corrected trace of the steps after it. Episode ends
// and the block end bootstrap from next_values, as in GAE. On-policy (log_rhos = 0) vs_t is the
// GAE(lambda) return and advantages_t the GAE(lambda) advantage.
void compute_vtrace(int64_t T, int64_t N, std::span<const float> rewards,
                    std::span<const float> values, std::span<const float> next_values,
                    std::span<const uint8_t> terminated, std::span<const uint8_t> ended,
                    std::span<const float> log_rhos, const VtraceOptions& options,
                    std::span<float> vs, std::span<float> advantages);

}  // namespace sinew
