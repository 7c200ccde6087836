// The MPO learner step (Abdolmaleki et al. 2018, as DEP-RL uses it; REFERENCE.md section 5) on
// replayed transitions:
//   critic: expected-SARSA targets r + discount * mean_k Q'(s', a'_k), a'_k ~ pi'(s') (target
//           networks), mean squared error;
//   actor:  E-step weights from K actions sampled from the target policy and scored by the
//           target critic, temperature dual (epsilon); action penalization as a second
//           objective with its own temperature (epsilon_penalty); decoupled M-step with KL
//           constraints on mean (epsilon_mean) and std (epsilon_std) through Lagrange
//           multipliers; duals are softplus of free parameters, kept above exp(-18);
//   targets: Polyak averaging after every step.
// The policy acts in the normalized action space [-1, 1] (ActorCritic with a state-dependent
// std); the env maps it to its bounds.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/adam.h>

#include <filesystem>
#include <memory>

#include "sinew/algo/replay_buffer.h"
#include "sinew/core/config.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/critic.h"

namespace sinew {

// The MPO learner step's settings, one field per key under algo. (configs/algo/mpo.yaml holds
// each key's default and meaning; the fields carry none of their own).
struct MpoOptions {
  double lr_actor{};           // Adam learning rate of the policy
  double lr_critic{};          // ... of the Q network
  double lr_dual{};            // ... of the temperature and KL multipliers
  int64_t batch_size{};        // transitions per gradient step
  int num_samples{};           // K actions per state
  double epsilon{};            // E-step KL bound (temperature dual)
  double epsilon_mean{};       // M-step KL bound on the mean
  double epsilon_std{};        // M-step KL bound on the std
  bool action_penalization{};  // penalize actions outside [-1, 1] as a second objective
  double epsilon_penalty{};    // KL bound of the action-penalty objective
  double target_update{};      // Polyak coefficient per gradient step
  double reward_scale{};       // rewards are multiplied by this in the critic target

  // The duals' initial values (softplus-parameterized), as in tonic; not configurable.
  static constexpr double kInitialLogTemperature = 1;
  static constexpr double kInitialLogAlphaMean = 1;
  static constexpr double kInitialLogAlphaStd = 10;

  // Reads the algo.* keys named after the fields; throws ConfigError on bad values.
  static MpoOptions from_config(const Config& config);
};

struct MpoStepStats {
  double critic_loss = 0;
  double actor_loss = 0;
  double q_mean = 0;
  double temperature = 0;
  double alpha_mean = 0;
  double alpha_std = 0;
  double kl_mean = 0;
  double kl_std = 0;
  double policy_std = 0;  // mean std of the online policy on the batch
};

// The dual variables as a module, so they save and load like parameters.
class MpoDualsImpl : public torch::nn::Module {
 public:
  explicit MpoDualsImpl(const MpoOptions& options);
  torch::Tensor log_temperature, log_alpha_mean, log_alpha_std, log_penalty_temperature;
};
TORCH_MODULE(MpoDuals);

// A replayed batch as the tensors one gradient step reads: the one place where data becomes
// tensors (and where a device learner would move it to the device).
struct MpoBatch {
  torch::Tensor states;     // (2B x obs) normalized: the B next states, then the B states
  torch::Tensor actions;    // (B x A)
  torch::Tensor rewards;    // (B)
  torch::Tensor discounts;  // (B) 0 after a terminal step
};

class MpoTrainer {
 public:
  MpoTrainer(ActorCritic policy, Critic critic, const MpoOptions& options);

  // One gradient step on a replayed batch of raw observations: optimize(prepare(...)).
  MpoStepStats step(const ReplayBuffer::Batch& batch, const RunningNormalizer& normalizer);
  // Normalizes the observations and copies the batch into tensors.
  MpoBatch prepare(const ReplayBuffer::Batch& batch, const RunningNormalizer& normalizer) const;
  // Critic, actor and dual updates, then the target networks' Polyak step.
  MpoStepStats optimize(const MpoBatch& batch);

  ActorCritic& policy() { return policy_; }
  Critic& critic() { return critic_; }
  // Sets the target networks to the online ones (after their parameters were replaced).
  void reset_targets();
  const MpoOptions& options() const { return o_; }

  // Parameters, target networks, duals and optimizer states as files in `folder`
  // (models/policy.pt, models/critic.pt, models/target_policy.pt, models/target_critic.pt,
  // models/mpo_duals.pt, trainers/mpo_{actor,critic,dual}_optimizer.pt); `file` maps a relative
  // name to the path to write.
  void save(const std::function<std::filesystem::path(const std::string&)>& file);
  // Throws UserError naming the file. Learning rates are then this trainer's own options'.
  void load(const std::filesystem::path& folder);

  static constexpr const char* kPolicyFile = "models/policy.pt";
  static constexpr const char* kCriticFile = "models/critic.pt";

 private:
  void set_learning_rates(const MpoOptions& options);

  ActorCritic policy_, target_policy_;
  Critic critic_, target_critic_;
  MpoDuals duals_;
  MpoOptions o_;
  std::unique_ptr<torch::optim::Adam> actor_optimizer_, critic_optimizer_, dual_optimizer_;
};

}  // namespace sinew
