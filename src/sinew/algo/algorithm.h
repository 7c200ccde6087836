// What the learner thread drives: an on-policy learner that batches fresh trajectory blocks
// (PPO) or an off-policy learner that replays them (MPO). The learner thread owns the queue,
// the policy-lag check, the observation statistics and parameter publishing; an Algorithm owns
// the networks, optimizers and data, and its files in a checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>

#include "sinew/core/checkpoint.h"
#include "sinew/core/config.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/named_tensors.h"
#include "sinew/transport/trajectory_block.h"

namespace sinew {

class Algorithm {
 public:
  virtual ~Algorithm() = default;

  // Takes one accepted block, whose observations `normalizer` already includes. Returns true
  // when the policy's parameters changed (the learner then publishes a new version). Records
  // its own metrics (train/...).
  virtual bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
                       MetricsBus& metrics) = 0;

  // The network the actors run; its parameters are published in parameters() order.
  virtual ActorCritic& policy() = 0;

  // Blocks made by parameters more than this many versions old are dropped.
  virtual int64_t max_policy_lag() const = 0;

  // Env steps still to take before the next update of the policy, for synchronous acting
  // (sync_gate.h): > 0 for an algorithm that updates from fixed batches (PPO); 0 for one that
  // has no such batches (MPO learns from a replay buffer), which cannot act synchronously.
  virtual int64_t steps_until_update() const { return 0; }

  // Every network's parameters under stable names (named_tensors.h): the acting policy's
  // (policy.*, value.*, log_std) and a separate critic's (critic.*). The tensors are the live
  // parameters: `sinew export` reads them, `init.from` writes into them (without autograd) and
  // then calls parameters_replaced().
  virtual NamedTensors named_tensors() = 0;
  // After named_tensors() were overwritten: copies them to what derives from them (target
  // networks), so learning continues from the new parameters.
  virtual void parameters_replaced() {}

  // Stages parameters, optimizer states, random streams and buffered data into `writer`
  // (models/, trainers/, data/). Only while the learner is parked or not running.
  virtual void save(CheckpointWriter* writer) const = 0;
  // Loads what save() wrote from a verified checkpoint folder. The options this algorithm was
  // made with (the resumed run's config, read once at wiring) keep applying, e.g. a changed
  // learning rate. Throws UserError naming the file.
  virtual void load(const std::filesystem::path& checkpoint) = 0;
};

}  // namespace sinew
