// MPO as an Algorithm (DEP-RL's learner): every accepted block goes into a replay buffer; once
// it holds algo.learning_starts transitions, every algo.steps_between_batches env steps buy
// algo.batch_iterations gradient steps on uniformly sampled batches. With
// algo.energy_cost.enabled, replayed rewards are relabelled r - c * sum(e^3), e the excitation
// the env received, and c adapts after every finished episode (AdaptiveEnergyCost). The
// bounded queue throttles the actors to this replay ratio. Checkpoint files: MpoTrainer's
// (models/, trainers/mpo_*), trainers/mpo_rng.txt (sampling stream), data/replay.bin,
// data/mpo_schedule.bin, interaction/agent/energy_cost.json.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "sinew/algo/adaptive_energy_cost.h"
#include "sinew/algo/algorithm.h"
#include "sinew/algo/mpo/mpo_trainer.h"
#include "sinew/algo/replay_buffer.h"
#include "sinew/env/env.h"

namespace sinew {

// When MPO learns: the replay and the ratio of gradient steps to env steps, read from the
// algo.* keys named after the fields (defaults in configs/algo/mpo.yaml).
struct MpoSchedule {
  int64_t replay_capacity{};        // transitions kept (stored in checkpoints)
  int n_step{};                     // n-step returns
  double gamma{};                   // discount
  int64_t learning_starts{};        // env steps before the first gradient step
  int64_t steps_between_batches{};  // env steps that buy batch_iterations gradient steps
  int batch_iterations{};
  int64_t max_policy_lag{};

  static MpoSchedule from_config(const Config& config);
};

class MpoAlgorithm : public Algorithm {
 public:
  MpoAlgorithm(const ActorCriticOptions& policy, const CriticOptions& critic,
               const MpoOptions& options, const MpoSchedule& schedule,
               std::optional<AdaptiveEnergyOptions> energy, const EnvSpec& spec, uint64_t seed);

  bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
               MetricsSink& metrics) override;
  ActorCritic& policy() override { return trainer_.policy(); }
  NamedTensors named_tensors() override;
  void parameters_replaced() override { trainer_.reset_targets(); }
  int64_t max_policy_lag() const override { return schedule_.max_policy_lag; }
  void save(CheckpointWriter* writer) const override;
  void load(const std::filesystem::path& checkpoint) override;

 private:
  // r - c * sum(e^3) for each sampled transition, e the env's excitation for the action.
  void relabel(ReplayBuffer::Batch* batch) const;

  mutable MpoTrainer trainer_;  // torch::save needs non-const modules
  MpoSchedule schedule_;
  ReplayBuffer replay_;
  std::optional<AdaptiveEnergyCost> energy_;
  EnvSpec spec_;
  std::mt19937_64 rng_;
  int64_t owed_steps_ = 0;  // env steps since the last gradient steps, after learning starts
  int64_t gradient_steps_ = 0;
  ReplayBuffer::Batch batch_;
};

}  // namespace sinew
