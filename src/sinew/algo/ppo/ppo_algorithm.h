// PPO as an Algorithm: collects accepted blocks until algo.batch_steps, then runs one
// PpoTrainer update. Checkpoint files:
//   models/actor_critic.pt       policy and value parameters
//   trainers/ppo_optimizer.pt    Adam moments and step counts
//   trainers/ppo_rng.txt         minibatch-shuffling random stream
//   data/ppo_batch.bin           the blocks of the batch being filled
//   trainers/ppo_schedule.txt    env steps consumed (the learning-rate schedule's progress)
//   trainers/ppo_returns.json    return statistics (algo.normalize_returns; return_normalizer.h)
// With algo.lr_schedule=linear the learning rate before each update is
// algo.lr x (1 - consumed steps / trainer.total_steps), as CleanRL anneals it.
#pragma once

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "sinew/algo/algorithm.h"
#include "sinew/algo/ppo/ppo_trainer.h"
#include "sinew/algo/return_normalizer.h"

namespace sinew {

class PpoAlgorithm : public Algorithm {
 public:
  PpoAlgorithm(const ActorCriticOptions& model, const PpoOptions& options, uint64_t seed);

  bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
               MetricsSink& metrics) override;
  ActorCritic& policy() override { return trainer_.model(); }
  NamedTensors named_tensors() override { return module_tensors(*trainer_.model()); }
  int64_t max_policy_lag() const override { return trainer_.options().max_policy_lag; }
  int64_t steps_until_update() const override {
    return std::max<int64_t>(trainer_.options().batch_steps - batch_steps_, 1);
  }
  void save(CheckpointWriter* writer) const override;
  void load(const std::filesystem::path& checkpoint) override;

  PpoTrainer& trainer() { return trainer_; }
  // The return statistics (algo.normalize_returns), else null.
  const ReturnNormalizer* return_normalizer() const { return returns_ ? &*returns_ : nullptr; }

  static constexpr const char* kModelFile = "models/actor_critic.pt";

 private:
  mutable PpoTrainer trainer_;  // torch::save needs non-const modules
  std::vector<TrajectoryBlock> batch_;
  int64_t batch_steps_ = 0;
  double base_lr_;                           // algo.lr, before the schedule
  int64_t consumed_steps_ = 0;               // env steps of every block taken
  std::optional<ReturnNormalizer> returns_;  // algo.normalize_returns
};

}  // namespace sinew
