// What the learner thread drives: an on-policy learner that batches fresh trajectory blocks
// (PPO) or an off-policy learner that replays them (MPO). The learner thread owns the queue,
// the policy-lag check, the observation statistics and parameter publishing; an Algorithm owns
// the networks, optimizers and data, and its files in a checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>

#include "sinew/core/config.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/nn/running_normalizer.h"
#include "sinew/runtime/checkpoint.h"
#include "sinew/runtime/trajectory_block.h"

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

  // Stages parameters, optimizer states, random streams and buffered data into `writer`
  // (models/, trainers/, data/). Only while the learner is parked or not running.
  virtual void save(CheckpointWriter* writer) const = 0;
  // Loads what save() wrote from a verified checkpoint folder; `config` is the resumed run's
  // (its learning rates apply). Throws UserError naming the file.
  virtual void load(const std::filesystem::path& checkpoint, const Config& config) = 0;
};

}  // namespace sinew
