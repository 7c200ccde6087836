#include "sinew/runtime/learner.h"

#include <torch/torch.h>

#include <chrono>
#include <stdexcept>

#include "sinew/core/binary_io.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/nn/param_copy.h"

namespace sinew {

Learner::Learner(std::vector<LearnerModel> models, RunningNormalizer normalizer,
                 LearnerContext context)
    : models_(std::move(models)), normalizer_(std::move(normalizer)), ctx_(context) {
  if (models_.empty() || !models_.front().policy) {
    throw std::invalid_argument("a learner needs at least one model, the first a policy");
  }
  for (const auto& m : models_) {
    if (m.policy) ++num_policies_;
    scopes_.push_back(std::make_unique<PrefixedMetrics>(*ctx_.metrics, m.name));
  }
  versions_ = std::make_unique<std::atomic<int64_t>[]>(num_policies_);
  for (int i = 0; i < num_policies_; ++i) versions_[i].store(0);
}

int64_t Learner::version(int policy) const {
  if (policy < 0 || policy >= num_policies_) throw std::out_of_range("no such policy column");
  return versions_[policy].load();
}

void Learner::set_normalizer(RunningNormalizer normalizer) {
  normalizer.take_held(normalizer_);
  normalizer_ = std::move(normalizer);
}

RunningNormalizer Learner::normalizer_for(const LearnerModel& m) const {
  const auto& index = m.slice.obs_index;
  if (index.empty()) return normalizer_;
  std::vector<double> mean, variance;
  for (int i : index) {
    mean.push_back(normalizer_.mean()[i]);
    variance.push_back(normalizer_.variance()[i]);
  }
  return RunningNormalizer::from_moments(std::move(mean), std::move(variance), normalizer_.count(),
                                         normalizer_.clip(), normalizer_.epsilon());
}

void Learner::publish(std::size_t model) {
  const LearnerModel& m = models_[model];
  auto snapshot = std::make_shared<ParamSnapshot>();
  snapshot->version = versions_[m.slice.policy].load();
  copy_params_out(*m.policy->policy(), snapshot.get());
  snapshot->obs_normalizer = normalizer_for(m);
  m.params->publish(std::move(snapshot));
}

void Learner::publish() {
  for (std::size_t i = 0; i < models_.size(); ++i) {
    if (models_[i].policy) publish(i);
  }
}

void Learner::run() {
  set_intra_op_threads(ctx_.threads);
  RunControl& control = *ctx_.control;
  const int me = control.learner_index();
  Trainer& first = *models_.front().trainer;
  const bool several = models_.size() > 1;
  if (ctx_.gate) ctx_.gate->taken(0, first.steps_until_update());
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
    // what the actor measured, wherever it ran, also when no trainer takes the block
    for (const auto& [name, value] : block->metrics) ctx_.metrics->record(name, value);
    // policy lag: versions between the data's parameters and the learner's, per policy; each
    // trainer takes the blocks young enough for it
    takers_.clear();
    int64_t max_lag = 0;
    for (std::size_t i = 0; i < models_.size(); ++i) {
      const LearnerModel& m = models_[i];
      const int column = m.policy ? m.slice.policy : 0;
      const int64_t lag = versions_[column].load() - block_version(*block, column);
      if (m.policy) {
        max_lag = std::max(max_lag, lag);
        if (several) scopes_[i]->record("train/policy_lag", static_cast<double>(lag));
      }
      if (lag <= m.trainer->max_policy_lag()) takers_.push_back(i);
    }
    ctx_.metrics->record("train/policy_lag", static_cast<double>(max_lag));
    const int64_t steps = block->num_steps();
    if (takers_.empty()) {
      dropped_blocks_.fetch_add(1);
      ctx_.metrics->record("train/dropped_blocks", static_cast<double>(dropped_blocks_.load()));
      if (ctx_.gate) ctx_.gate->taken(steps, first.steps_until_update());
      continue;
    }
    // statistics first, so an update sees the inputs the next snapshot will use
    normalizer_.update(block->obs, block->num_steps());
    control.beat(me, Activity::kUpdating);
    // what the trainers derive for each other (rewards), before any of them learns
    if (several) {
      for (std::size_t i : takers_) {
        const LearnerModel& m = models_[i];
        m.trainer->add_rewards(m.whole ? *block : slice_block(*block, m.slice), normalizer_for(m),
                               block->rewards, *scopes_[i]);
      }
    }
    for (std::size_t k = 0; k < takers_.size(); ++k) {
      const std::size_t i = takers_[k];
      LearnerModel& m = models_[i];
      // the whole block goes to the last that takes it whole, the others get a copy or a slice
      TrajectoryBlock data = !m.whole                 ? slice_block(*block, m.slice)
                             : k + 1 < takers_.size() ? *block
                                                      : std::move(*block);
      const bool changed = m.trainer->consume(
          std::move(data), m.whole ? normalizer_ : normalizer_for(m), *scopes_[i]);
      // only the policies' changes are published (the other models do not act)
      if (changed && m.policy) {
        versions_[m.slice.policy].fetch_add(1);
        publish(i);
        scopes_[i]->record("train/version", static_cast<double>(versions_[m.slice.policy].load()));
      }
    }
    // after publishing, so a block the gate lets start now acts with the new version
    if (ctx_.gate) ctx_.gate->taken(steps, first.steps_until_update());
  }
}

std::string Learner::save_state() const {
  BinaryWriter out;
  out.put<int64_t>(versions_[0].load());
  out.put<int64_t>(dropped_blocks_.load());
  out.put_string(normalizer_.to_json());
  if (num_policies_ > 1) {
    std::vector<int64_t> versions;
    for (int i = 0; i < num_policies_; ++i) versions.push_back(versions_[i].load());
    out.put_vector(versions);
  }
  return out.bytes();
}

void Learner::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  versions_[0].store(in.get<int64_t>());
  dropped_blocks_.store(in.get<int64_t>());
  set_normalizer(RunningNormalizer::from_json(in.get_string(), normalizer_.dim(), source));
  if (num_policies_ > 1) {
    const auto versions = in.get_vector<int64_t>();
    if (static_cast<int>(versions.size()) != num_policies_) {
      in.fail("saved with a different number of policies");
    }
    for (int i = 0; i < num_policies_; ++i) versions_[i].store(versions[i]);
  }
  if (!in.at_end()) in.fail("unexpected data after the learner state");
}

}  // namespace sinew
