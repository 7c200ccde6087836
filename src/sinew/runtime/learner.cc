#include "sinew/runtime/learner.h"

#include <torch/torch.h>

#include <chrono>

#include "sinew/core/binary_io.h"
#include "sinew/nn/compute_threads.h"

namespace sinew {

Learner::Learner(Algorithm* algorithm, RunningNormalizer normalizer, LearnerContext context)
    : algorithm_(algorithm), normalizer_(std::move(normalizer)), ctx_(context) {}

void Learner::publish() {
  auto snapshot = std::make_shared<ParamSnapshot>();
  snapshot->version = version_.load();
  {
    torch::NoGradGuard no_grad;
    for (const auto& p : algorithm_->policy()->parameters()) {
      snapshot->params.push_back(p.detach().clone());
    }
  }
  snapshot->obs_normalizer = normalizer_;
  ctx_.snapshots->publish(std::move(snapshot));
}

void Learner::run() {
  set_intra_op_threads(ctx_.threads);
  RunControl& control = *ctx_.control;
  const int me = control.learner_index();
  while (!control.stopping()) {
    // a pause takes effect once every actor is parked and their blocks are consumed
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
    if (lag > algorithm_->max_policy_lag()) {
      dropped_blocks_.fetch_add(1);
      ctx_.metrics->record("train/dropped_blocks", static_cast<double>(dropped_blocks_.load()));
      continue;
    }
    // statistics first, so an update sees the inputs the next snapshot will use
    normalizer_.update(block->obs, block->num_steps());
    control.beat(me, Activity::kUpdating);
    if (algorithm_->consume(std::move(*block), normalizer_, *ctx_.metrics)) {
      version_.fetch_add(1);
      publish();
      ctx_.metrics->record("train/version", static_cast<double>(version_.load()));
    }
  }
}

std::string Learner::save_state() const {
  BinaryWriter out;
  out.put<int64_t>(version_.load());
  out.put<int64_t>(dropped_blocks_.load());
  out.put_string(normalizer_.to_json());
  return out.bytes();
}

void Learner::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  version_.store(in.get<int64_t>());
  dropped_blocks_.store(in.get<int64_t>());
  normalizer_ = RunningNormalizer::from_json(in.get_string(), normalizer_.dim(), source);
  if (!in.at_end()) in.fail("unexpected data after the learner state");
}

}  // namespace sinew
