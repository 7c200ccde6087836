#include "sinew/runtime/learner.h"

#include <torch/torch.h>

#include <chrono>
#include <stdexcept>

#include "sinew/core/binary_io.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/nn/param_copy.h"

namespace sinew {

Learner::Learner(std::vector<Algorithm*> algorithms, RunningNormalizer normalizer,
                 LearnerContext context)
    : algorithms_(std::move(algorithms)), normalizer_(std::move(normalizer)), ctx_(context) {
  if (algorithms_.empty()) throw std::invalid_argument("a learner needs at least one algorithm");
}

void Learner::publish() {
  auto snapshot = std::make_shared<ParamSnapshot>();
  snapshot->version = version_.load();
  copy_params_out(*algorithms_.front()->policy(), snapshot.get());
  snapshot->obs_normalizer = normalizer_;
  ctx_.params->publish(std::move(snapshot));
}

void Learner::run() {
  set_intra_op_threads(ctx_.threads);
  RunControl& control = *ctx_.control;
  const int me = control.learner_index();
  Algorithm& acting = *algorithms_.front();
  if (ctx_.gate) ctx_.gate->taken(0, acting.steps_until_update());
  while (!control.stopping()) {
    // a pause takes effect once every actor is parked and their blocks are consumed
    if (control.pause_requested() &&
        (control.learner_only_pause() ||
         (control.all_actors_parked() && ctx_.blocks->waiting() == 0))) {
      if (!control.learner_boundary()) return;
      continue;
    }
    control.beat(me, Activity::kWaitingForData);
    auto block = ctx_.blocks->receive(std::chrono::milliseconds(50));
    if (!block) {
      if (ctx_.blocks->closed()) return;
      continue;
    }
    // policy lag: versions between the data's parameters and the learner's
    int64_t lag = version_.load() - block->policy_version;
    ctx_.metrics->record("train/policy_lag", static_cast<double>(lag));
    // each algorithm takes the blocks young enough for it
    takers_.clear();
    for (Algorithm* algorithm : algorithms_) {
      if (lag <= algorithm->max_policy_lag()) takers_.push_back(algorithm);
    }
    const int64_t steps = block->num_steps();
    if (takers_.empty()) {
      dropped_blocks_.fetch_add(1);
      ctx_.metrics->record("train/dropped_blocks", static_cast<double>(dropped_blocks_.load()));
      if (ctx_.gate) ctx_.gate->taken(steps, acting.steps_until_update());
      continue;
    }
    // statistics first, so an update sees the inputs the next snapshot will use
    normalizer_.update(block->obs, block->num_steps());
    control.beat(me, Activity::kUpdating);
    bool policy_changed = false;
    for (std::size_t i = 0; i < takers_.size(); ++i) {
      // the last one is given the block itself, the others a copy
      TrajectoryBlock data = i + 1 < takers_.size() ? *block : std::move(*block);
      const bool changed = takers_[i]->consume(std::move(data), normalizer_, *ctx_.metrics);
      if (takers_[i] == &acting) policy_changed = changed;
    }
    // only the acting policy's changes are published (the others have no snapshot store yet)
    if (policy_changed) {
      version_.fetch_add(1);
      publish();
      ctx_.metrics->record("train/version", static_cast<double>(version_.load()));
    }
    // after publishing, so a block the gate lets start now acts with the new version
    if (ctx_.gate) ctx_.gate->taken(steps, acting.steps_until_update());
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
