#include "sinew/runtime/learner_bench.h"

#include <torch/torch.h>

#include <chrono>
#include <random>

#include "sinew/algo/mpo_trainer.h"
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

LearnerBenchResult bench_mpo(const Config& config, const EnvSpec& spec, double seconds) {
  const MpoOptions mpo = MpoOptions::from_config(config);
  const int64_t B = mpo.batch_size, K = mpo.num_samples, O = spec.obs_dim, A = spec.action_dim;
  const ActorCriticOptions policy_options = actor_critic_options(config, spec);
  CriticOptions critic_options;
  critic_options.obs_dim = O;
  critic_options.action_dim = A;
  critic_options.hidden = policy_options.hidden;
  critic_options.activation = policy_options.activation;
  LearnerBenchResult result;
  result.algo = "mpo";
  result.minibatch_size = B;

  // the trainer on replay-shaped batches
  MpoTrainer trainer(ActorCritic(policy_options), Critic(critic_options), mpo);
  RunningNormalizer normalizer(static_cast<int>(O));
  std::mt19937 rng(1);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  ReplayBuffer::Batch batch;
  for (auto* v : {&batch.obs, &batch.next_obs}) {
    v->resize(B * O);
    for (auto& x : *v) x = normal(rng);
  }
  batch.actions.resize(B * A);
  for (auto& x : batch.actions) x = 0.5f * normal(rng);
  batch.rewards.assign(B, 1.0f);
  batch.discounts.assign(B, 0.99f);
  normalizer.update(batch.obs, B);
  int64_t steps = 0;
  auto start = Clock::now();
  double elapsed = 0;
  while (elapsed < seconds || steps == 0) {
    trainer.step(batch, normalizer);
    ++steps;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  result.updates_per_second = static_cast<double>(steps) / elapsed;
  result.trainer_samples_per_second = result.updates_per_second * static_cast<double>(B);
  result.env_steps_per_second_cap =
      result.updates_per_second * static_cast<double>(config.get_int("algo.steps_between_batches", 1)) /
      static_cast<double>(config.get_int("algo.batch_iterations", 1));

  // raw LibTorch: the same networks and sizes, the same forward and backward passes
  ActorCritic policy(policy_options);
  Critic critic(critic_options), target(critic_options);
  torch::optim::Adam policy_adam(policy->parameters(), torch::optim::AdamOptions(mpo.lr_actor));
  torch::optim::Adam critic_adam(critic->parameters(), torch::optim::AdamOptions(mpo.lr_critic));
  auto obs = torch::randn({B, O}), actions = torch::randn({B, A}), targets = torch::randn({B});
  auto many_actions = torch::randn({K, B, A});
  steps = 0;
  start = Clock::now();
  elapsed = 0;
  while (elapsed < seconds || steps == 0) {
    {
      torch::NoGradGuard no_grad;
      target->forward_samples(obs, many_actions);  // critic targets
      target->forward_samples(obs, many_actions);  // E-step scores
    }
    auto critic_loss = (critic->forward(obs, actions) - targets).pow(2).mean();
    critic_adam.zero_grad();
    critic_loss.backward();
    critic_adam.step();
    auto [mean, std] = policy->mean_std(obs);
    auto policy_loss = ((actions - mean) / std).pow(2).mean() + torch::log(std).mean();
    policy_adam.zero_grad();
    policy_loss.backward();
    policy_adam.step();
    ++steps;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  }
  result.raw_samples_per_second = static_cast<double>(steps * B) / elapsed;
  result.ratio = result.trainer_samples_per_second / result.raw_samples_per_second;
  return result;
}

}  // namespace

LearnerBenchResult bench_learner(const Config& config, double seconds) {
  EnvFactory envs(config);
  const EnvSpec& spec = envs.spec();
  const int threads = static_cast<int>(config.get_int("runtime.learner_threads", 1, 1024));
  set_intra_op_threads(threads);
  set_blas_threads(threads);
  torch::manual_seed(0);
  if (config.get_string("algo.name") == "mpo") {
    LearnerBenchResult result = bench_mpo(config, spec, seconds);
    result.threads = threads;
    return result;
  }
  const PpoOptions ppo = PpoOptions::from_config(config);

  LearnerBenchResult result;
  result.algo = "ppo";
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
