#include "sinew/runtime/learner_bench.h"

#include <torch/torch.h>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/env_factory.h"

namespace sinew {

LearnerBenchResult bench_learner(const Config& config, double seconds) {
  EnvFactory envs(config);
  const EnvSpec& spec = envs.spec();
  const AlgorithmEntry& algorithm = algorithms().at(config);
  const int threads = static_cast<int>(config.get_int("runtime.learner_threads", 1, 1024));
  set_intra_op_threads(threads);
  set_blas_threads(threads);
  torch::manual_seed(0);
  LearnerBenchResult r;
  r.threads = threads;
  algorithm.bench(config, spec, actor_critic_options(config, spec), seconds, &r);

  // the JSON report: the fields every algorithm has, then its own
  r.json["benchmark"] = "learner";
  r.json["experiment"] = config.get_string("experiment");
  r.json["threads"] = r.threads;
  r.json["minibatch_size"] = r.minibatch_size;
  if (r.batch_steps > 0) r.json["batch_steps"] = r.batch_steps;
  r.json["trainer_samples_per_second"] = r.trainer_samples_per_second;
  r.json["raw_samples_per_second"] = r.raw_samples_per_second;
  r.json["ratio"] = r.ratio;
  r.json["updates_per_second"] = r.updates_per_second;
  r.json["algo"] = r.algo;
  r.json.update(r.extra_json);
  return r;
}

}  // namespace sinew
