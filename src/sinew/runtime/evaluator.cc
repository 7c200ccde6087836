#include "sinew/runtime/evaluator.h"

#include <torch/torch.h>

#include <cmath>
#include <map>

#include "sinew/core/config_composer.h"
#include "sinew/env/closing_env.h"
#include "sinew/sim/env_factory.h"

namespace sinew {

PolicyActor::PolicyActor(LoadedPolicy& policy, const EnvSpec& spec, uint64_t seed,
                         bool deterministic)
    : policy_(policy),
      spec_(spec),
      deterministic_(deterministic),
      norm_(spec.obs_dim),
      clip_actions_(clip_action_mapping(policy.config)) {
  std::vector<LoadedPart> parts = policy.parts;
  if (parts.empty()) parts.push_back(LoadedPart{policy.model, {}, {}});
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const ActorCriticOptions& o = parts[p].model->options();
    Acting a{parts[p].model,
             parts[p].obs_index,
             parts[p].action_index,
             ActionSampler(o.action_dim, o.num_actions, seed + 7919 * p, o.state_dependent_std),
             std::vector<float>(o.obs_dim),
             {},
             std::vector<float>(o.action_dim)};
    if (o.num_actions == 0 && !o.state_dependent_std) {
      auto ls = a.model->log_std().contiguous();
      a.log_std.assign(ls.data_ptr<float>(), ls.data_ptr<float>() + o.action_dim);
    }
    acting_.push_back(std::move(a));
  }
}

void PolicyActor::act(std::span<const float> obs, std::span<float> action) {
  policy_.normalizer.normalize(obs, norm_, 1);
  torch::NoGradGuard no_grad;
  for (Acting& a : acting_) {
    const ActorCriticOptions& o = a.model->options();
    for (int64_t k = 0; k < o.obs_dim; ++k) {
      a.input[k] = norm_[a.obs_index.empty() ? k : a.obs_index[k]];
    }
    auto input = torch::from_blob(a.input.data(), {1, o.obs_dim}, torch::kFloat);
    auto head = a.model->policy(input).contiguous();
    float log_prob = 0;
    a.sampler.sample(head.data_ptr<float>(), a.log_std.data(), 1, deterministic_, a.action.data(),
                     &log_prob);
    for (int64_t k = 0; k < o.action_dim; ++k) {
      const int j = a.action_index.empty() ? static_cast<int>(k) : a.action_index[k];
      action[j] = a.action[k];
      // MPO's policy acts in [-1, 1], mapped linearly to the env's bounds (or clipped by the env)
      if (o.state_dependent_std && !clip_actions_) action[j] = spec_.from_unit(j, action[j]);
    }
  }
}

namespace {}  // namespace

nlohmann::json evaluate_in(LoadedPolicy& policy, const EnvFactory& factory,
                           const EvalOptions& options) {
  const EnvSpec& spec = factory.spec();
  ClosingEnv env(factory.make());
  PolicyActor actor(policy, spec, options.seed, options.deterministic);
  std::vector<float> obs(spec.obs_dim), action(spec.action_dim);

  std::vector<double> returns, lengths;
  std::map<std::string, double> metric_sums, metrics;
  for (int episode = 0; episode < options.episodes; ++episode) {
    env->reset(options.seed + static_cast<uint64_t>(episode), obs);
    double total = 0;
    int64_t length = 0;
    while (true) {
      actor.act(obs, action);
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
  out["duration_mean_s"] = mean(lengths) * spec.control_dt_s;
  for (const auto& [name, sum] : metric_sums) out[name] = sum / options.episodes;
  out["divergences"] = env->divergences();
  out["env"] = spec.name;
  return out;
}

namespace {

// Episodes of `policy` in the env `config` describes.
nlohmann::json run_episodes(LoadedPolicy& policy, const Config& config,
                            const EvalOptions& options) {
  return evaluate_in(policy, EnvFactory(config), options);
}

}  // namespace

Config evaluation_config(const Config& config, const std::vector<std::string>& extra) {
  std::vector<std::string> overrides;
  if (config.has("env.eval_overrides")) {
    for (const auto& o : config.node("env.eval_overrides"))
      overrides.push_back(o.as<std::string>());
  }
  overrides.insert(overrides.end(), extra.begin(), extra.end());
  return overrides.empty() ? config : ConfigComposer::apply_overrides(config, overrides);
}

nlohmann::json evaluate_policy(LoadedPolicy& policy, const EvalOptions& options) {
  nlohmann::json out =
      run_episodes(policy, evaluation_config(policy.config, options.env_overrides), options);
  out["conditions"] = nlohmann::json::array();
  // the env's extra conditions (e.g. starting from standing, a push), each as overrides of
  // the policy's own config
  if (options.conditions && policy.config.has("env.eval_conditions")) {
    YAML::Node conditions = policy.config.node("env.eval_conditions");
    for (const auto& item : conditions) {
      const std::string name = item.first.as<std::string>();
      std::vector<std::string> overrides = options.env_overrides;
      for (const auto& o : item.second) overrides.push_back(o.as<std::string>());
      Config config = evaluation_config(policy.config, overrides);
      nlohmann::json result = run_episodes(policy, config, options);
      out["conditions"].push_back(name);
      for (const auto& [key, value] : result.items()) {
        if (key != "env" && key != "episodes") out[name + "/" + key] = value;
      }
    }
  }
  out["step"] = policy.manifest.value("step", int64_t{0});
  return out;
}

MotionTable record_episode(Env& env, PolicyActor* actor, uint64_t seed) {
  const EnvSpec& spec = env.spec();
  MotionTable table(spec.name, env.motion_labels(), /*in_degrees=*/true);
  std::vector<float> obs(spec.obs_dim), action(spec.action_dim, 0.0f);
  std::vector<double> row;
  env.reset(seed, obs);
  auto record = [&](double t) {
    row.clear();
    env.motion_values(&row);
    table.add_row(t, row);
  };
  record(0.0);
  for (int step = 1;; ++step) {
    if (actor) actor->act(obs, action);
    StepResult r = env.step(action, obs);
    if (r.diverged) break;
    record(step * spec.control_dt_s);
    if (r.done()) break;
  }
  return table;
}

}  // namespace sinew
