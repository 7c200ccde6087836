// A policy's trainer: an on-policy learner that batches fresh trajectory blocks (PPO) or an
// off-policy learner that replays them (MPO). Beside what every trainer does (trainer.h) it
// owns the network the actors run. The learner thread owns the queue, the policy-lag check,
// the observation statistics and parameter publishing.
#pragma once

#include "sinew/algo/trainer.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {

class Algorithm : public Trainer {
 public:
  // The network the actors run; its parameters are published in parameters() order. Its
  // named_tensors() are the acting policy's (policy.*, value.*, log_std) and a separate
  // critic's (critic.*).
  virtual ActorCritic& policy() = 0;
};

}  // namespace sinew
