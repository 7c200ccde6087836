// The PPO learner step: from a batch of trajectory blocks to one parameter update
// (GAE with truncation bootstrapping, advantage normalization, clipped surrogate, value loss,
// entropy bonus, minibatch epochs, gradient clipping, Adam).
#pragma once

#include <torch/optim/adam.h>

#include <memory>
#include <random>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/transport/trajectory_block.h"

namespace sinew {

// The PPO settings, one field per key under algo. (configs/algo/ppo.yaml, where each key's
// default, unit and meaning are written once; the fields here carry no defaults of their own).
struct PpoOptions {
  enum class Correction { kVtrace, kNone };  // of lagged data: V-trace, or plain GAE
  enum class LrSchedule { kConstant, kLinear };

  double lr{};                  // Adam learning rate
  LrSchedule lr_schedule{};     // linear: lr x (1 - steps / total_steps)
  double gamma{};               // discount
  double gae_lambda{};          // GAE lambda
  double clip_epsilon{};        // ratio clip
  double value_coef{};          // weight of the value loss
  double entropy_coef{};        // weight of the entropy bonus
  int epochs{};                 // passes over each batch
  int64_t minibatch_size{};     // samples per gradient step
  int64_t batch_steps{};        // env steps per update
  double max_grad_norm{};       // global gradient norm clip (0 = none)
  int64_t max_policy_lag{};     // blocks older than this many versions are dropped
  double reward_scale{};        // rewards are multiplied by this before GAE
  bool normalize_returns{};     // rewards / running std of the discounted return, then
                                // clipped to +-10 (CleanRL); before reward_scale
  bool normalize_advantages{};  // per batch, zero mean unit std
  Correction correction{};      // vtrace: V-trace targets and advantages
  double vtrace_rho_clip{};     // rho_bar
  double vtrace_c_clip{};       // c_bar
  int64_t total_steps{};        // trainer.total_steps: the end of the linear schedule

  // Reads the algo.* keys named after the fields (and trainer.total_steps); throws ConfigError
  // naming the key on a bad value. Keys that runs saved before them lack read as those runs
  // ran (normalize_returns false, lr_schedule constant).
  static PpoOptions from_config(const Config& config);
};

struct PpoUpdateStats {
  double policy_loss = 0;
  double value_loss = 0;
  double entropy = 0;
  double approx_kl = 0;
  double clip_fraction = 0;
  double grad_norm = 0;           // before clipping, mean over gradient steps
  double explained_variance = 0;  // 1 - Var(returns - V) / Var(returns) before the update
  double importance_weight = 1;   // mean pi/mu of the batch (1 when on-policy)
  int64_t samples = 0;
};

// A batch as the tensors the minibatch epochs read, one row per env step: the one place where
// data becomes tensors (and where a device learner would move it to the device).
struct PpoBatch {
  torch::Tensor obs;         // (S x obs) normalized
  torch::Tensor actions;     // (S x A)
  torch::Tensor log_probs;   // (S) of the behaviour policy
  torch::Tensor advantages;  // (S) normalized when options.normalize_advantages
  torch::Tensor returns;     // (S) value targets
};

class PpoTrainer {
 public:
  PpoTrainer(ActorCritic model, const PpoOptions& options, uint64_t seed);

  // One update over `blocks` with inputs normalized by `normalizer`: optimize(prepare(...)).
  // Blocks may come from older parameter versions; their behaviour log-probabilities enter the
  // ratio.
  PpoUpdateStats update(const std::vector<TrajectoryBlock>& blocks,
                        const RunningNormalizer& normalizer);
  // Values, GAE or V-trace targets and advantages with the current parameters; fills the
  // statistics of the data (samples, explained variance, importance weight) into `stats`.
  PpoBatch prepare(const std::vector<TrajectoryBlock>& blocks, const RunningNormalizer& normalizer,
                   PpoUpdateStats* stats);
  // The minibatch epochs; fills the loss statistics into `stats`.
  void optimize(const PpoBatch& batch, PpoUpdateStats* stats);

  ActorCritic& model() { return model_; }
  torch::optim::Adam& optimizer() { return *optimizer_; }
  const PpoOptions& options() const { return options_; }
  // Sets the learning rate of every parameter group (e.g. changed on resume).
  void set_learning_rate(double lr);
  // The minibatch-shuffling random stream as text, and back (throws UserError on bad text).
  std::string save_rng() const;
  void load_rng(const std::string& text, const std::string& source);

 private:
  ActorCritic model_;
  PpoOptions options_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::mt19937_64 rng_;
};

}  // namespace sinew
