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

struct PpoOptions {
  double lr = 3e-4;                  // Adam learning rate
  double gamma = 0.99;               // discount
  double gae_lambda = 0.95;          // GAE lambda
  double clip_epsilon = 0.2;         // ratio clip
  double value_coef = 0.5;           // weight of the value loss
  double entropy_coef = 0.0;         // weight of the entropy bonus
  int epochs = 10;                   // passes over each batch
  int64_t minibatch_size = 256;      // samples per gradient step
  int64_t batch_steps = 4096;        // env steps per update
  double max_grad_norm = 0.5;        // global gradient norm clip
  int64_t max_policy_lag = 4;        // blocks older than this many versions are dropped
  double reward_scale = 1.0;         // rewards are multiplied by this before GAE
  bool normalize_returns = false;    // rewards / running std of the discounted return, then
                                     // clipped to +-10 (CleanRL); before reward_scale
  bool normalize_advantages = true;  // per batch, zero mean unit std
  bool vtrace = true;                // correct lagged data with V-trace (else plain GAE)
  double vtrace_rho_clip = 1.0;      // rho_bar
  double vtrace_c_clip = 1.0;        // c_bar
  bool linear_lr = false;            // algo.lr_schedule=linear: lr x (1 - steps / total_steps)
  int64_t total_steps = 0;           // trainer.total_steps, the end of the linear schedule

  // Reads algo.* keys; throws ConfigError on bad values.
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
