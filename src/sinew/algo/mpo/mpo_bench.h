// `sinew bench --learner` for algo=mpo: MpoTrainer::step on a replay-shaped batch against the
// same networks' raw work per step (the target critic on K x B sampled actions twice, critic
// and policy forward + backward + Adam on B).
#pragma once

#include "sinew/algo/learner_bench_result.h"
#include "sinew/core/config.h"
#include "sinew/env/env.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {

// Times each loop for about `seconds` with the configured options and env shapes; fills
// `result` (numbers, text and JSON fields of its own) and keeps its `threads`.
void bench_mpo(const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy,
               double seconds, LearnerBenchResult* result);

}  // namespace sinew
