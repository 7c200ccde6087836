#include "sinew/algo/mpo/mpo_algorithm.h"

#include <torch/torch.h>

#include <chrono>
#include <sstream>

#include "sinew/core/binary_io.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/checkpoint_files.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {
constexpr const char* kRngFile = "trainers/mpo_rng.txt";
constexpr const char* kReplayFile = "data/replay.bin";
constexpr const char* kScheduleFile = "data/mpo_schedule.bin";
constexpr const char* kEnergyFile = "interaction/agent/energy_cost.json";
}  // namespace

MpoSchedule MpoSchedule::from_config(const Config& c) {
  MpoSchedule s;
  s.replay_capacity = c.get_int("algo.replay_capacity", 1, int64_t{1} << 34);
  s.n_step = static_cast<int>(c.get_int("algo.n_step", 1, 1000));
  s.gamma = c.get_double("algo.gamma", 0, 1);
  s.learning_starts = c.get_int("algo.learning_starts", 0);
  s.steps_between_batches = c.get_int("algo.steps_between_batches", 1);
  s.batch_iterations = static_cast<int>(c.get_int("algo.batch_iterations", 1, 1 << 20));
  s.max_policy_lag = c.get_int("algo.max_policy_lag", 0);
  return s;
}

MpoAlgorithm::MpoAlgorithm(const ActorCriticOptions& policy, const CriticOptions& critic,
                           const MpoOptions& options, const MpoSchedule& schedule,
                           std::optional<AdaptiveEnergyOptions> energy, const EnvSpec& spec,
                           uint64_t seed)
    : trainer_(ActorCritic(policy), Critic(critic), options),
      schedule_(schedule),
      replay_(schedule.replay_capacity, spec.obs_dim, spec.action_dim, schedule.n_step,
              schedule.gamma),
      spec_(spec),
      rng_(seed) {
  if (energy) energy_.emplace(*energy);
}

void MpoAlgorithm::relabel(ReplayBuffer::Batch* batch) const {
  const int A = spec_.action_dim;
  std::vector<float> excitation(A);
  for (std::size_t b = 0; b < batch->rewards.size(); ++b) {
    for (int j = 0; j < A; ++j) excitation[j] = spec_.from_unit(j, batch->actions[b * A + j]);
    batch->rewards[b] = static_cast<float>(energy_->relabel(batch->rewards[b], excitation));
  }
}

bool MpoAlgorithm::consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
                           MetricsSink& m) {
  replay_.add(block);
  if (energy_) {
    for (double score : block.episode_returns) energy_->end_episode(score);
    m.record("train/energy_cost", energy_->cost());
  }
  m.record("train/replay_size", static_cast<double>(replay_.size()));
  if (replay_.added() < schedule_.learning_starts) return false;
  owed_steps_ += block.num_steps();
  const int64_t batches = owed_steps_ / schedule_.steps_between_batches;
  if (batches == 0) return false;
  owed_steps_ -= batches * schedule_.steps_between_batches;

  auto start = std::chrono::steady_clock::now();
  const int64_t iterations = batches * schedule_.batch_iterations;
  MpoStepStats mean;
  for (int64_t i = 0; i < iterations; ++i) {
    replay_.sample(trainer_.options().batch_size, rng_, &batch_);
    if (energy_) relabel(&batch_);
    MpoStepStats s = trainer_.step(batch_, normalizer);
    mean.critic_loss += s.critic_loss / iterations;
    mean.actor_loss += s.actor_loss / iterations;
    mean.q_mean += s.q_mean / iterations;
    mean.kl_mean += s.kl_mean / iterations;
    mean.kl_std += s.kl_std / iterations;
    mean.policy_std += s.policy_std / iterations;
    mean.temperature = s.temperature;
    mean.alpha_mean = s.alpha_mean;
    mean.alpha_std = s.alpha_std;
  }
  gradient_steps_ += iterations;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  m.record("train/loss/critic", mean.critic_loss);
  m.record("train/loss/policy", mean.actor_loss);
  m.record("train/q_mean", mean.q_mean);
  m.record("train/kl_mean", mean.kl_mean);
  m.record("train/kl_std", mean.kl_std);
  m.record("train/policy_std", mean.policy_std);
  m.record("train/temperature", mean.temperature);
  m.record("train/alpha_mean", mean.alpha_mean);
  m.record("train/alpha_std", mean.alpha_std);
  m.record("train/gradient_steps", static_cast<double>(gradient_steps_));
  m.record("train/update_seconds", seconds);
  m.record("train/samples_per_second",
           static_cast<double>(iterations * trainer_.options().batch_size) / seconds);
  return true;
}

NamedTensors MpoAlgorithm::named_tensors() {
  NamedTensors out = module_tensors(*trainer_.policy());
  out.merge(module_tensors(*trainer_.critic(), "critic."));
  return out;
}

void MpoAlgorithm::save(CheckpointWriter* writer) const {
  trainer_.save([writer](const std::string& relative) { return writer->file(relative); });
  std::ostringstream rng;
  rng << rng_;
  write_file(writer->file(kRngFile), rng.str());
  write_file(writer->file(kReplayFile), replay_.save_state());
  BinaryWriter schedule;
  schedule.put<int64_t>(owed_steps_);
  schedule.put<int64_t>(gradient_steps_);
  write_file(writer->file(kScheduleFile), schedule.bytes());
  if (energy_) write_file(writer->file(kEnergyFile), energy_->to_json());
}

void MpoAlgorithm::load(const fs::path& checkpoint) {
  trainer_.load(checkpoint);
  {
    std::istringstream in(read_text_file(checkpoint / kRngFile));
    in >> rng_;
    if (!in) throw UserError((checkpoint / kRngFile).string() + ": bad random state");
  }
  replay_.load_state(read_text_file(checkpoint / kReplayFile), (checkpoint / kReplayFile).string());
  BinaryReader schedule(read_text_file(checkpoint / kScheduleFile),
                        (checkpoint / kScheduleFile).string());
  owed_steps_ = schedule.get<int64_t>();
  gradient_steps_ = schedule.get<int64_t>();
  if (!schedule.at_end()) schedule.fail("unexpected data after the MPO schedule");
  if (energy_) {
    energy_->load_json(read_text_file(checkpoint / kEnergyFile),
                       (checkpoint / kEnergyFile).string());
  }
}

}  // namespace sinew
