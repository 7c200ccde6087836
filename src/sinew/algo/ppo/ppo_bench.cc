#include "sinew/algo/ppo/ppo_bench.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <random>

#include "sinew/algo/ppo/ppo_loss.h"
#include "sinew/algo/ppo/ppo_trainer.h"
#include "sinew/core/interleaved_timing.h"

namespace sinew {
namespace {

constexpr double kSliceSeconds = 0.5;  // trainer and raw alternate in turns of this length

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

void bench_ppo(const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy,
               double seconds, LearnerBenchResult* result_out) {
  const PpoOptions ppo = PpoOptions::from_config(config);
  LearnerBenchResult& result = *result_out;
  result.algo = "ppo";
  result.minibatch_size = ppo.minibatch_size;
  result.batch_steps = ppo.batch_steps;

  // the trainer on full batches
  PpoTrainer trainer(ActorCritic(policy), ppo, 0);
  auto blocks = synthetic_batch(spec, config, ppo.batch_steps, 1);
  RunningNormalizer normalizer(spec.obs_dim);
  for (const auto& b : blocks) normalizer.update(b.obs, b.num_steps());
  int64_t trainer_samples = 0;
  auto update = [&] { trainer_samples += trainer.update(blocks, normalizer).samples * ppo.epochs; };

  // raw LibTorch: the same network, minibatch, loss and optimizer, nothing else
  ActorCritic net(policy);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(ppo.lr).eps(1e-5));
  const int64_t mb = ppo.minibatch_size;
  auto obs = torch::randn({mb, spec.obs_dim});
  auto actions = spec.is_discrete() ? torch::zeros({mb, 1}) : torch::randn({mb, spec.action_dim});
  auto old_logp = torch::full({mb}, -1.0f), adv = torch::randn({mb}), ret = torch::randn({mb});
  auto raw_minibatch = [&] {
    auto [logp, entropy] = net->evaluate_actions(obs, actions);
    auto loss = ppo_loss(logp, old_logp, adv, net->value(obs), ret, entropy, ppo.clip_epsilon,
                         ppo.value_coef, ppo.entropy_coef);
    adam.zero_grad();
    loss.total.backward();
    torch::nn::utils::clip_grad_norm_(net->parameters(), 0.5);
    adam.step();
  };

  // both in alternating slices (a whole update at least), so that they see the same machine
  const InterleavedTimes t = time_interleaved(seconds, kSliceSeconds, update, raw_minibatch);
  result.trainer_samples_per_second = static_cast<double>(trainer_samples) / t.a_s;
  result.updates_per_second = static_cast<double>(t.a_runs) / t.a_s;
  result.raw_samples_per_second = static_cast<double>(t.b_runs * mb) / t.b_s;
  result.ratio = result.trainer_samples_per_second / result.raw_samples_per_second;

  // the report
  result.text = fmt::format("PPO learner, {} thread(s), minibatch {}\n", result.threads,
                            result.minibatch_size);
  result.text += fmt::format("  trainer       {:12.0f} samples/s ({:.2f} updates/s)\n",
                             result.trainer_samples_per_second, result.updates_per_second);
  result.text += fmt::format("  raw LibTorch  {:12.0f} samples/s (forward + backward + Adam)\n",
                             result.raw_samples_per_second);
  result.text += fmt::format("  ratio         {:12.3f}\n", result.ratio);
}

}  // namespace sinew
