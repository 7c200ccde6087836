#include "sinew/algo/agent/policy_options.h"

#include <fmt/format.h>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/core/errors.h"

namespace sinew {

ActorCriticOptions actor_critic_options(const Config& config, const EnvSpec& spec) {
  ActorCriticOptions o;
  o.obs_dim = spec.obs_dim;
  o.action_dim = spec.action_dim;
  o.num_actions = spec.num_actions;
  o.read_model_keys(config);
  const AlgorithmEntry& algorithm = algorithms().at(config);
  if (algorithm.normalized_actions) {
    if (spec.is_discrete()) {
      // the algorithms that do take discrete actions, as the way out
      std::string others;
      for (const auto& e : algorithms().entries()) {
        if (!e.normalized_actions) others += (others.empty() ? "algo=" : " or algo=") + e.name;
      }
      throw ConfigError("algo.name", fmt::format("algo.name={} needs continuous actions; env {} "
                                                 "is discrete (use {})",
                                                 algorithm.name, spec.name, others));
    }
    o.state_dependent_std = true;
  }
  return o;
}

}  // namespace sinew
