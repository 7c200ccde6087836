// `sinew bench --learner` for algo=ppo: PpoTrainer::update on full synthetic batches against
// the bare forward + backward + Adam on the same minibatches.
#pragma once

#include "sinew/algo/learner_bench_result.h"
#include "sinew/core/config.h"
#include "sinew/env/env.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {

// Times each loop for about `seconds` with the configured options and env shapes; fills
// `result` (numbers, text and JSON) and keeps its `threads`.
void bench_ppo(const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy,
               double seconds, LearnerBenchResult* result);

}  // namespace sinew
