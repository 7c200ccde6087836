#include "sinew/algo/ppo/ppo_algorithm.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

#include "sinew/core/binary_io.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/checkpoint_files.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {
constexpr const char* kOptimizerFile = "trainers/ppo_optimizer.pt";
constexpr const char* kRngFile = "trainers/ppo_rng.txt";
constexpr const char* kBatchFile = "data/ppo_batch.bin";
constexpr const char* kScheduleFile = "trainers/ppo_schedule.txt";
constexpr const char* kReturnsFile = "trainers/ppo_returns.json";
// The first word of a batch file whose blocks carry step times (older files start with the
// block count, which is never this large).
constexpr uint64_t kBatchWithStepTimes = 0x73696e6577000002ULL;
}  // namespace

PpoAlgorithm::PpoAlgorithm(const ActorCriticOptions& model, const PpoOptions& options,
                           uint64_t seed)
    : trainer_(ActorCritic(model), options, seed), base_lr_(options.lr) {
  if (options.normalize_returns) returns_.emplace(options.gamma);
}

bool PpoAlgorithm::consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
                           MetricsSink& m) {
  batch_steps_ += block.num_steps();
  consumed_steps_ += block.num_steps();
  if (returns_) {
    std::vector<uint8_t> ended(block.terminated.size());
    for (std::size_t i = 0; i < ended.size(); ++i)
      ended[i] = block.terminated[i] | block.truncated[i];
    returns_->update(block.actor_id, block.T, block.N, block.rewards, ended);
  }
  batch_.push_back(std::move(block));
  if (batch_steps_ < trainer_.options().batch_steps) return false;

  const PpoOptions& o = trainer_.options();
  if (o.lr_schedule == PpoOptions::LrSchedule::kLinear && o.total_steps > 0) {
    const double left = 1.0 - static_cast<double>(consumed_steps_) / o.total_steps;
    trainer_.set_learning_rate(base_lr_ * std::max(left, 0.0));
  }
  m.record("train/lr", trainer_.options().lr);
  if (returns_) {
    // the batch keeps raw rewards until now (a checkpoint saves them raw)
    for (auto& b : batch_) returns_->normalize(b.rewards);
    m.record("train/return_std", 1.0 / returns_->scale());
  }

  auto start = std::chrono::steady_clock::now();
  PpoUpdateStats stats = trainer_.update(batch_, normalizer);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  batch_.clear();
  batch_steps_ = 0;
  m.record("train/loss/policy", stats.policy_loss);
  m.record("train/loss/value", stats.value_loss);
  m.record("train/entropy", stats.entropy);
  m.record("train/approx_kl", stats.approx_kl);
  m.record("train/clip_fraction", stats.clip_fraction);
  m.record("train/grad_norm", stats.grad_norm);
  m.record("train/explained_variance", stats.explained_variance);
  m.record("train/importance_weight", stats.importance_weight);
  m.record("train/update_seconds", seconds);
  m.record("train/samples_per_second", static_cast<double>(stats.samples) / seconds);
  return true;
}

void PpoAlgorithm::save(CheckpointWriter* writer) const {
  save_torch(trainer_.model(), writer->file(kModelFile));
  save_torch(trainer_.optimizer(), writer->file(kOptimizerFile));
  write_file(writer->file(kRngFile), trainer_.save_rng());
  BinaryWriter out;
  out.put<uint64_t>(kBatchWithStepTimes);
  out.put<uint64_t>(batch_.size());
  for (const auto& block : batch_) write_block(&out, block);
  write_file(writer->file(kBatchFile), out.bytes());
  write_file(writer->file(kScheduleFile), std::to_string(consumed_steps_) + "\n");
  if (returns_) write_file(writer->file(kReturnsFile), returns_->to_json());
}

void PpoAlgorithm::load(const fs::path& checkpoint) {
  load_torch(trainer_.model(), checkpoint / kModelFile);
  load_torch(trainer_.optimizer(), checkpoint / kOptimizerFile);
  trainer_.set_learning_rate(base_lr_);  // the resumed run's algo.lr, not the saved one
  trainer_.load_rng(read_text_file(checkpoint / kRngFile), (checkpoint / kRngFile).string());
  const fs::path batch_file = checkpoint / kBatchFile;
  BinaryReader in(read_text_file(batch_file), batch_file.string());
  // batches saved before blocks carried step times start with the block count
  uint64_t blocks = in.get<uint64_t>();
  const bool with_step_times = blocks == kBatchWithStepTimes;
  if (with_step_times) blocks = in.get<uint64_t>();
  batch_.clear();
  batch_steps_ = 0;
  for (uint64_t i = 0; i < blocks; ++i) {
    batch_.push_back(read_block(&in, with_step_times));
    batch_steps_ += batch_.back().num_steps();
  }
  if (!in.at_end()) in.fail("unexpected data after the PPO batch");
  // checkpoints from before the schedule have no file: the schedule starts over
  consumed_steps_ = 0;
  const fs::path schedule = checkpoint / kScheduleFile;
  if (fs::is_regular_file(schedule)) {
    try {
      consumed_steps_ = std::stoll(read_text_file(schedule));
    } catch (const std::exception&) {
      throw UserError(schedule.string() + ": expected a step count");
    }
  }
  // return statistics: from the checkpoint when it has them (a run that switched
  // algo.normalize_returns on at resume starts them fresh)
  if (returns_) {
    returns_.emplace(trainer_.options().gamma);
    const fs::path returns = checkpoint / kReturnsFile;
    if (fs::is_regular_file(returns))
      returns_->load_json(read_text_file(returns), returns.string());
  }
}

}  // namespace sinew
