// A forward-dynamics model trained beside the policies (agent.models.<name>.trainer:
// forward_dynamics): an MLP predicts the next normalized observation of its slice from the
// normalized observation and the action, trained on every block by mean squared error. Its
// prediction error on a block, before it learns from it, is a curiosity bonus added to the
// rewards the policies learn from (Pathak et al. 2017, "Curiosity-driven exploration by
// self-supervised prediction", here without the inverse model): transitions the model cannot
// predict yet pay more. Steps that end an episode have no next observation in the block and
// get no bonus.
//
// algo.* of the model: hidden (widths), lr, epochs and minibatch_size of the updates on each
// block, reward_scale (bonus per unit of mean squared error in normalized units), max_bonus.
// Metrics: train/<model>/prediction_error (before the update), train/<model>/bonus,
// train/<model>/loss, train/<model>/update_seconds.
#pragma once

#include <torch/nn/modules/container/sequential.h>
#include <torch/optim/adam.h>

#include <random>
#include <vector>

#include "sinew/algo/trainer.h"
#include "sinew/core/config.h"

namespace sinew {

struct ForwardDynamicsOptions {
  std::vector<int64_t> hidden = {64, 64};
  double lr = 1e-3;
  int epochs = 1;
  int minibatch_size = 256;
  double reward_scale = 0.1;
  double max_bonus = 1.0;  // per step, after scaling

  // Reads algo.*; throws ConfigError naming the key.
  static ForwardDynamicsOptions from_config(const Config& config);
};

class ForwardDynamicsTrainer final : public Trainer {
 public:
  static constexpr const char* kModelFile = "models/forward_dynamics.pt";
  static constexpr const char* kOptimizerFile = "trainers/forward_dynamics_optimizer.pt";
  static constexpr const char* kRngFile = "trainers/forward_dynamics_rng.txt";

  ForwardDynamicsTrainer(int obs_dim, int action_dim, ForwardDynamicsOptions options,
                         uint64_t seed);

  void add_rewards(const TrajectoryBlock& block, const RunningNormalizer& normalizer,
                   std::span<float> rewards, MetricsSink& metrics) override;
  bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
               MetricsSink& metrics) override;
  int64_t max_policy_lag() const override;  // any: the world's dynamics do not depend on it
  NamedTensors named_tensors() override;
  void save(CheckpointWriter* writer) const override;
  void load(const std::filesystem::path& checkpoint) override;

  // Mean squared prediction error per row of `block` (T x N), and which rows have a next
  // observation in the block (`valid`).
  std::vector<float> prediction_errors(const TrajectoryBlock& block,
                                       const RunningNormalizer& normalizer,
                                       std::vector<uint8_t>* valid);

 private:
  // Inputs (rows x (obs + action)) and targets (rows x obs) of the block's valid transitions.
  void transitions(const TrajectoryBlock& block, const RunningNormalizer& normalizer,
                   torch::Tensor* inputs, torch::Tensor* targets, std::vector<int64_t>* rows);

  int obs_dim_;
  int action_dim_;
  ForwardDynamicsOptions options_;
  torch::nn::Sequential net_;
  std::unique_ptr<torch::optim::Adam> optimizer_;
  std::mt19937_64 rng_;
};

}  // namespace sinew
