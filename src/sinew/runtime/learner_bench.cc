#include "sinew/runtime/learner_bench.h"

#include <torch/torch.h>

#include <chrono>
#include <random>

#include "sinew/algo/ppo_loss.h"
#include "sinew/algo/ppo_trainer.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/runtime/agent_factory.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace {

using Clock = std::chrono::steady_clock;

// Blocks of random data shaped like the actors' output.
std::vector<TrajectoryBlock> synthetic_batch(const EnvSpec& spec, const Config& config,
                                             int64_t batch_steps, uint64_t seed) {
  const int64_t N = config.get_int("runtime.envs_per_actor", 1);
  const int64_t T = config.get_int("runtime.rollout_length", 1);
  std::mt19937 rng(static_cast<unsigned>(seed));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<TrajectoryBlock> blocks;
  for (int64_t steps = 0; steps < batch_steps; steps += T * N) {
    TrajectoryBlock b(T, N, spec.obs_dim, spec.action_dim);
    for (auto& x : b.obs) x = normal(rng);
    for (auto& x : b.last_obs) x = normal(rng);
    for (auto& x : b.actions) x = spec.is_discrete() ? 0.0f : normal(rng);
    for (auto& x : b.log_probs) x = -1.0f + 0.1f * normal(rng);
    for (auto& x : b.rewards) x = normal(rng);
    blocks.push_back(std::move(b));
  }
  return blocks;
}

}  // namespace

LearnerBenchResult bench_learner(const Config& config, double seconds) {
  EnvFactory envs(config);
  const EnvSpec& spec = envs.spec();
  const PpoOptions ppo = PpoOptions::from_config(config);
  const int threads = static_cast<int>(config.get_int("runtime.learner_threads", 1, 1024));
  set_intra_op_threads(threads);
  set_blas_threads(threads);
  torch::manual_seed(0);

  LearnerBenchResult result;
  result.minibatch_size = ppo.minibatch_size;
  result.batch_steps = ppo.batch_steps;
  result.threads = threads;

  // the trainer on full batches
  PpoTrainer trainer(ActorCritic(actor_critic_options(config, spec)), ppo, 0);
  auto blocks = synthetic_batch(spec, config, ppo.batch_steps, 1);
  RunningNormalizer normalizer(spec.obs_dim);
  for (const auto& b : blocks) normalizer.update(b.obs, b.num_steps());
  int64_t samples = 0, updates = 0;
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds || updates == 0) {
    samples += trainer.update(blocks, normalizer).samples * ppo.epochs;
    ++updates;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  result.trainer_samples_per_second = static_cast<double>(samples) / elapsed;
  result.updates_per_second = static_cast<double>(updates) / elapsed;

  // raw LibTorch: the same network, minibatch, loss and optimizer, nothing else
  ActorCritic net(actor_critic_options(config, spec));
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(ppo.lr).eps(1e-5));
  const int64_t mb = ppo.minibatch_size;
  auto obs = torch::randn({mb, spec.obs_dim});
  auto actions = spec.is_discrete() ? torch::zeros({mb, 1}) : torch::randn({mb, spec.action_dim});
  auto old_logp = torch::full({mb}, -1.0f), adv = torch::randn({mb}), ret = torch::randn({mb});
  samples = 0;
  start = Clock::now();
  elapsed = 0;
  while (elapsed < seconds || samples == 0) {
    for (int k = 0; k < 20; ++k) {
      auto [logp, entropy] = net->evaluate_actions(obs, actions);
      auto loss = ppo_loss(logp, old_logp, adv, net->value(obs), ret, entropy, ppo.clip_epsilon,
                           ppo.value_coef, ppo.entropy_coef);
      adam.zero_grad();
      loss.total.backward();
      torch::nn::utils::clip_grad_norm_(net->parameters(), 0.5);
      adam.step();
      samples += mb;
    }
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  result.raw_samples_per_second = static_cast<double>(samples) / elapsed;
  result.ratio = result.trainer_samples_per_second / result.raw_samples_per_second;
  return result;
}

}  // namespace sinew
