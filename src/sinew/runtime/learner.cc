#include "sinew/runtime/learner.h"

#include <torch/torch.h>

#include <chrono>

#include "sinew/core/binary_io.h"
#include "sinew/nn/compute_threads.h"

namespace sinew {

Learner::Learner(PpoTrainer* trainer, RunningNormalizer normalizer, LearnerContext context)
    : trainer_(trainer), normalizer_(std::move(normalizer)), ctx_(context) {}

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
  m.record("train/importance_weight", stats.importance_weight);
  m.record("train/update_seconds", seconds);
  m.record("train/samples_per_second", static_cast<double>(stats.samples) / seconds);
  m.record("train/version", static_cast<double>(version_.load()));
  batch_.clear();
  batch_steps_ = 0;
}

void Learner::run() {
  set_intra_op_threads(ctx_.threads);
  const PpoOptions& options = trainer_->options();
  RunControl& control = *ctx_.control;
  const int me = control.learner_index();
  while (!control.stopping()) {
    // a pause takes effect once every actor is parked and their blocks are in the batch
    if (control.pause_requested() &&
        (control.learner_only_pause() || (control.all_actors_parked() && ctx_.queue->size() == 0))) {
      if (!control.learner_boundary()) return;
      continue;
    }
    control.beat(me, Activity::kWaitingForData);
    auto block = ctx_.queue->pop(std::chrono::milliseconds(50));
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
    control.beat(me, Activity::kUpdating);
    update();
  }
}

std::string Learner::save_state() const {
  BinaryWriter out;
  out.put<int64_t>(version_.load());
  out.put<int64_t>(dropped_blocks_.load());
  out.put_string(normalizer_.to_json());
  out.put<uint64_t>(batch_.size());
  for (const auto& block : batch_) write_block(&out, block);
  return out.bytes();
}

void Learner::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  version_.store(in.get<int64_t>());
  dropped_blocks_.store(in.get<int64_t>());
  normalizer_ = RunningNormalizer::from_json(in.get_string(), normalizer_.dim(), source);
  const uint64_t blocks = in.get<uint64_t>();
  batch_.clear();
  batch_steps_ = 0;
  for (uint64_t i = 0; i < blocks; ++i) {
    batch_.push_back(read_block(&in));
    batch_steps_ += batch_.back().num_steps();
  }
  if (!in.at_end()) in.fail("unexpected data after the learner state");
}

}  // namespace sinew
