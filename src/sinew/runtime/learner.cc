#include "sinew/runtime/learner.h"

#include <torch/torch.h>

#include <chrono>

#include "sinew/nn/compute_threads.h"

namespace sinew {

Learner::Learner(PpoTrainer* trainer, RunningNormalizer normalizer, int64_t version,
                 LearnerContext context)
    : trainer_(trainer), normalizer_(std::move(normalizer)), ctx_(context), version_(version) {}

void Learner::publish() {
  auto snapshot = std::make_shared<ParamSnapshot>();
  snapshot->version = version_.load();
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : trainer_->model()->parameters()) {
      snapshot->params.push_back(p.detach().clone());
    }
  }
  snapshot->obs_normalizer = normalizer_;
  ctx_.snapshots->publish(std::move(snapshot));
}

void Learner::update() {
  using Clock = std::chrono::steady_clock;
  auto start = Clock::now();
  // statistics first, so the update sees the inputs the next snapshot will use
  for (const auto& block : batch_) normalizer_.update(block.obs, block.num_steps());
  PpoUpdateStats stats = trainer_->update(batch_, normalizer_);
  version_.fetch_add(1);
  publish();
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();

  MetricsBus& m = *ctx_.metrics;
  m.record("train/loss/policy", stats.policy_loss);
  m.record("train/loss/value", stats.value_loss);
  m.record("train/entropy", stats.entropy);
  m.record("train/approx_kl", stats.approx_kl);
  m.record("train/clip_fraction", stats.clip_fraction);
  m.record("train/grad_norm", stats.grad_norm);
  m.record("train/explained_variance", stats.explained_variance);
  m.record("train/update_seconds", seconds);
  m.record("train/samples_per_second", static_cast<double>(stats.samples) / seconds);
  m.record("train/version", static_cast<double>(version_.load()));
  batch_.clear();
  batch_steps_ = 0;
}

void Learner::run(const std::function<void(int64_t)>& after_update) {
  set_intra_op_threads(ctx_.threads);
  const PpoOptions& options = trainer_->options();
  while (!ctx_.stop->load()) {
    auto block = ctx_.queue->pop(std::chrono::milliseconds(100));
    if (!block) {
      if (ctx_.queue->closed()) return;
      continue;
    }
    // policy lag: versions between the data's parameters and the learner's
    int64_t lag = version_.load() - block->policy_version;
    ctx_.metrics->record("train/policy_lag", static_cast<double>(lag));
    if (lag > options.max_policy_lag) {
      dropped_blocks_.fetch_add(1);
      ctx_.metrics->record("train/dropped_blocks", static_cast<double>(dropped_blocks_.load()));
      continue;
    }
    batch_steps_ += block->num_steps();
    batch_.push_back(std::move(*block));
    if (batch_steps_ < options.batch_steps) continue;
    std::lock_guard lock(state_mutex_);
    update();
    if (after_update) after_update(version_.load());
  }
}

}  // namespace sinew
