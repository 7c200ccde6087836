// What the learner thread drives for one model of the agent (agent_spec.h): a policy's
// algorithm (PPO, MPO: algorithm.h), or a model trained beside the policies on the same blocks,
// such as a forward-dynamics model whose prediction error is the policies' curiosity reward
// (dynamics/forward_dynamics_trainer.h). A trainer sees its model's slice of each block: the
// observation parts it reads and the action parts it writes. It owns its networks, optimizers
// and data, and its files in a checkpoint.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "sinew/core/checkpoint.h"
#include "sinew/core/metrics_sink.h"
#include "sinew/core/running_normalizer.h"
#include "sinew/nn/named_tensors.h"
#include "sinew/transport/trajectory_block.h"

namespace sinew {

class Trainer {
 public:
  virtual ~Trainer() = default;

  // Feeds the other trainers: before any trainer consumes a block, adds what this one derives
  // from it to `rewards` (T x N, the block's rows), e.g. a curiosity bonus. `block` is this
  // model's slice. Default: adds nothing.
  virtual void add_rewards(const TrajectoryBlock& /*block*/,
                           const RunningNormalizer& /*normalizer*/, std::span<float> /*rewards*/,
                           MetricsSink& /*metrics*/) {}

  // Takes one accepted block (this model's slice), whose observations `normalizer` already
  // includes. Returns true when the parameters the actors run changed (the learner then
  // publishes a new version of this model). Records its own metrics (train/...).
  virtual bool consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
                       MetricsSink& metrics) = 0;

  // Blocks made by parameters more than this many versions old are not given to it.
  virtual int64_t max_policy_lag() const = 0;

  // Env steps still to take before the next update, for synchronous acting (sync_gate.h): > 0
  // for a trainer that updates from fixed batches (PPO); 0 for one without such batches.
  virtual int64_t steps_until_update() const { return 0; }

  // Every network's parameters under stable names (named_tensors.h). The tensors are the live
  // parameters: `sinew export` reads them, `init.from` writes into them (without autograd) and
  // then calls parameters_replaced().
  virtual NamedTensors named_tensors() = 0;
  // After named_tensors() were overwritten: copies them to what derives from them (target
  // networks), so learning continues from the new parameters.
  virtual void parameters_replaced() {}

  // Stages parameters, optimizer states, random streams and buffered data into `writer`
  // (models/, trainers/, data/). Only while the learner is parked or not running.
  virtual void save(CheckpointWriter* writer) const = 0;
  // Loads what save() wrote from a verified checkpoint folder. The options this trainer was
  // made with (the resumed run's config, read once at wiring) keep applying. Throws UserError
  // naming the file.
  virtual void load(const std::filesystem::path& checkpoint) = 0;
};

}  // namespace sinew
