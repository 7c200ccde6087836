#include "sinew/algo/mpo/mpo_bench.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <random>

#include "sinew/algo/mpo/mpo_entry.h"
#include "sinew/algo/mpo/mpo_trainer.h"
#include "sinew/core/interleaved_timing.h"

namespace sinew {
namespace {
constexpr double kSliceSeconds = 0.5;  // trainer and raw alternate in turns of this length
}  // namespace

void bench_mpo(const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy_options,
               double seconds, LearnerBenchResult* result_out) {
  const MpoOptions mpo = MpoOptions::from_config(config);
  const int64_t B = mpo.batch_size, K = mpo.num_samples, O = spec.obs_dim, A = spec.action_dim;
  const CriticOptions critic_options = mpo_critic_options(policy_options);
  LearnerBenchResult& result = *result_out;
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
  auto trainer_step = [&] { trainer.step(batch, normalizer); };

  // raw LibTorch: the same networks and sizes, the same forward and backward passes
  ActorCritic policy(policy_options);
  Critic critic(critic_options), target(critic_options);
  torch::optim::Adam policy_adam(policy->parameters(), torch::optim::AdamOptions(mpo.lr_actor));
  torch::optim::Adam critic_adam(critic->parameters(), torch::optim::AdamOptions(mpo.lr_critic));
  auto obs = torch::randn({B, O}), actions = torch::randn({B, A}), targets = torch::randn({B});
  auto many_actions = torch::randn({K, B, A});
  auto raw_step = [&] {
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
  };

  // both in alternating slices, so that they see the same machine
  const InterleavedTimes t = time_interleaved(seconds, kSliceSeconds, trainer_step, raw_step);
  result.updates_per_second = static_cast<double>(t.a_runs) / t.a_s;
  result.trainer_samples_per_second = result.updates_per_second * static_cast<double>(B);
  result.env_steps_per_second_cap =
      result.updates_per_second *
      static_cast<double>(config.get_int("algo.steps_between_batches", 1)) /
      static_cast<double>(config.get_int("algo.batch_iterations", 1));
  result.raw_samples_per_second = static_cast<double>(t.b_runs * B) / t.b_s;
  result.ratio = result.trainer_samples_per_second / result.raw_samples_per_second;

  // the report
  result.extra_json["gradient_steps_per_second"] = result.updates_per_second;
  result.extra_json["env_steps_per_second_cap"] = result.env_steps_per_second_cap;
  result.text =
      fmt::format("MPO learner, {} thread(s), batch {}\n", result.threads, result.minibatch_size);
  result.text += fmt::format("  trainer       {:12.1f} gradient steps/s ({:.1f} ms each)\n",
                             result.updates_per_second, 1e3 / result.updates_per_second);
  result.text +=
      fmt::format("  raw LibTorch  {:12.1f} steps/s (the same forward + backward + Adam)\n",
                  result.raw_samples_per_second / static_cast<double>(result.minibatch_size));
  result.text += fmt::format("  ratio         {:12.3f}\n", result.ratio);
  result.text +=
      fmt::format("  keeps up with {:12.0f} env steps/s at the configured replay ratio\n",
                  result.env_steps_per_second_cap);
}

}  // namespace sinew
