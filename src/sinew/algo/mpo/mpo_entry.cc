#include "sinew/algo/mpo/mpo_entry.h"

#include "sinew/algo/mpo/mpo_algorithm.h"
#include "sinew/algo/mpo/mpo_bench.h"
#include "sinew/nn/checkpoint_files.h"

namespace sinew {

CriticOptions mpo_critic_options(const ActorCriticOptions& policy) {
  CriticOptions critic;
  critic.obs_dim = policy.obs_dim;
  critic.action_dim = policy.action_dim;
  critic.hidden = policy.hidden;
  critic.activation = policy.activation;
  return critic;
}

AlgorithmEntry mpo_entry() {
  AlgorithmEntry e;
  e.name = "mpo";
  e.off_policy = true;
  e.normalized_actions = true;
  e.policy_file = MpoTrainer::kPolicyFile;
  // the replay buffer's layout and the saved DEP and energy-cost state depend on these
  e.fixed_on_resume = {"algo.replay_capacity", "algo.n_step", "algo.dep.enabled",
                       "algo.energy_cost.enabled"};
  e.check_config = [](const Config& config) {
    MpoOptions::from_config(config);
    MpoSchedule::from_config(config);
    AdaptiveEnergyOptions::from_config(config);
  };
  e.make = [](const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy,
              uint64_t seed) -> std::unique_ptr<Algorithm> {
    return std::make_unique<MpoAlgorithm>(
        policy, mpo_critic_options(policy), MpoOptions::from_config(config),
        MpoSchedule::from_config(config), AdaptiveEnergyOptions::from_config(config), spec, seed);
  };
  e.checkpoint_tensors = [](const std::filesystem::path& checkpoint,
                            const ActorCriticOptions& policy_options) {
    ActorCritic policy(policy_options);
    Critic critic(mpo_critic_options(policy_options));
    load_torch(policy, checkpoint / MpoTrainer::kPolicyFile);
    load_torch(critic, checkpoint / MpoTrainer::kCriticFile);
    NamedTensors out = module_tensors(*policy);
    out.merge(module_tensors(*critic, "critic."));
    return out;
  };
  e.bench = bench_mpo;
  return e;
}

}  // namespace sinew
