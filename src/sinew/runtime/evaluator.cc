#include "sinew/runtime/evaluator.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

#include "sinew/nn/action_sampler.h"
#include "sinew/sim/env_factory.h"

namespace sinew {

nlohmann::json evaluate_policy(LoadedPolicy& policy, const EvalOptions& options) {
  EnvFactory factory(policy.config);
  const EnvSpec& spec = factory.spec();
  auto env = factory.make();
  ActionSampler sampler(spec.action_dim, spec.num_actions, options.seed);
  std::vector<float> obs(spec.obs_dim), norm(spec.obs_dim), action(spec.action_dim), log_std;
  if (!spec.is_discrete()) {
    auto ls = policy.model->log_std().contiguous();
    log_std.assign(ls.data_ptr<float>(), ls.data_ptr<float>() + spec.action_dim);
  }
  auto obs_tensor = torch::from_blob(norm.data(), {1, spec.obs_dim}, torch::kFloat);

  std::vector<double> returns, lengths;
  std::map<std::string, double> metric_sums, metrics;
  for (int episode = 0; episode < options.episodes; ++episode) {
    env->reset(options.seed + static_cast<uint64_t>(episode), obs);
    double total = 0;
    int64_t length = 0;
    while (true) {
      policy.normalizer.normalize(obs, norm, 1);
      torch::NoGradGuard no_grad;
      auto head = policy.model->policy(obs_tensor).contiguous();
      float log_prob = 0;
      sampler.sample(head.data_ptr<float>(), log_std.data(), 1, options.deterministic,
                     action.data(), &log_prob);
      StepResult r = env->step(action, obs);
      total += r.reward;
      ++length;
      if (r.done()) break;
    }
    returns.push_back(total);
    lengths.push_back(static_cast<double>(length));
    metrics.clear();
    env->episode_metrics(&metrics);
    for (const auto& [name, value] : metrics) metric_sums[name] += value;
  }

  auto mean = [](const std::vector<double>& v) {
    double s = 0;
    for (double x : v) s += x;
    return v.empty() ? 0.0 : s / static_cast<double>(v.size());
  };
  double return_mean = mean(returns), variance = 0;
  for (double r : returns) variance += (r - return_mean) * (r - return_mean);
  nlohmann::json out;
  out["episodes"] = options.episodes;
  out["return_mean"] = return_mean;
  out["return_std"] = returns.empty() ? 0.0 : std::sqrt(variance / returns.size());
  out["return_min"] = returns.empty() ? 0.0 : *std::min_element(returns.begin(), returns.end());
  out["return_max"] = returns.empty() ? 0.0 : *std::max_element(returns.begin(), returns.end());
  out["length_mean"] = mean(lengths);
  for (const auto& [name, sum] : metric_sums) out[name] = sum / options.episodes;
  out["divergences"] = env->divergences();
  out["env"] = spec.name;
  out["step"] = policy.manifest.value("step", int64_t{0});
  return out;
}

}  // namespace sinew
