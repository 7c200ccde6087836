#include "sinew/algo/mpo/mpo_trainer.h"

#include <torch/torch.h>

#include "sinew/algo/mpo/mpo_loss.h"
#include "sinew/nn/checkpoint_files.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr double kMinLogDual = -18;

void polyak(torch::nn::Module& from, torch::nn::Module& to, double tau) {
  torch::NoGradGuard no_grad;
  auto src = from.parameters(), dst = to.parameters();
  for (std::size_t i = 0; i < src.size(); ++i) dst[i].mul_(1 - tau).add_(src[i], tau);
}

torch::Tensor rows(const std::vector<float>& data, int64_t n, int64_t width) {
  return torch::from_blob(const_cast<float*>(data.data()), {n, width}, torch::kFloat);
}

torch::Tensor dual(const torch::Tensor& log_value) { return torch::softplus(log_value) + 1e-8; }

}  // namespace

MpoOptions MpoOptions::from_config(const Config& c) {
  MpoOptions o;
  o.lr_actor = c.get_double("algo.lr_actor", 0, 1);
  o.lr_critic = c.get_double("algo.lr_critic", 0, 1);
  o.lr_dual = c.get_double("algo.lr_dual", 0, 1);
  o.batch_size = c.get_int("algo.batch_size", 1, 1 << 20);
  o.num_samples = static_cast<int>(c.get_int("algo.num_samples", 1, 1024));
  o.epsilon = c.get_double("algo.epsilon", 1e-12, 100);
  o.epsilon_mean = c.get_double("algo.epsilon_mean", 1e-12, 100);
  o.epsilon_std = c.get_double("algo.epsilon_std", 1e-12, 100);
  o.action_penalization = c.get_bool("algo.action_penalization");
  o.epsilon_penalty = c.get_double("algo.epsilon_penalty", 1e-12, 100);
  o.target_update = c.get_double("algo.target_update", 0, 1);
  o.reward_scale = c.get_double("algo.reward_scale", 0, 1e6);
  return o;
}

MpoDualsImpl::MpoDualsImpl(const MpoOptions& o) {
  log_temperature =
      register_parameter("log_temperature", torch::full({1}, MpoOptions::kInitialLogTemperature));
  log_alpha_mean =
      register_parameter("log_alpha_mean", torch::full({1}, MpoOptions::kInitialLogAlphaMean));
  log_alpha_std =
      register_parameter("log_alpha_std", torch::full({1}, MpoOptions::kInitialLogAlphaStd));
  log_penalty_temperature = register_parameter(
      "log_penalty_temperature", torch::full({1}, MpoOptions::kInitialLogTemperature));
}

MpoTrainer::MpoTrainer(ActorCritic policy, Critic critic, const MpoOptions& options)
    : policy_(std::move(policy)),
      target_policy_(policy_->options()),
      critic_(std::move(critic)),
      target_critic_(critic_->options()),
      duals_(options),
      o_(options) {
  polyak(*policy_, *target_policy_, 1.0);
  polyak(*critic_, *target_critic_, 1.0);
  for (auto& p : target_policy_->parameters()) p.set_requires_grad(false);
  for (auto& p : target_critic_->parameters()) p.set_requires_grad(false);
  actor_optimizer_ = std::make_unique<torch::optim::Adam>(
      policy_->parameters(), torch::optim::AdamOptions(options.lr_actor));
  critic_optimizer_ = std::make_unique<torch::optim::Adam>(
      critic_->parameters(), torch::optim::AdamOptions(options.lr_critic));
  dual_optimizer_ = std::make_unique<torch::optim::Adam>(
      duals_->parameters(), torch::optim::AdamOptions(options.lr_dual));
}

MpoStepStats MpoTrainer::step(const ReplayBuffer::Batch& batch,
                              const RunningNormalizer& normalizer) {
  return optimize(prepare(batch, normalizer));
}

MpoBatch MpoTrainer::prepare(const ReplayBuffer::Batch& batch,
                             const RunningNormalizer& normalizer) const {
  const int64_t B = static_cast<int64_t>(batch.rewards.size());
  const int64_t A = static_cast<int64_t>(batch.actions.size()) / B;
  const int64_t O = normalizer.dim();
  MpoBatch out;
  // next states, then states
  out.states = torch::empty({2 * B, O}, torch::kFloat);
  float* states = out.states.data_ptr<float>();
  normalizer.normalize(batch.next_obs, std::span<float>(states, B * O), B);
  normalizer.normalize(batch.obs, std::span<float>(states + B * O, B * O), B);
  out.actions = rows(batch.actions, B, A).clone();
  out.rewards = rows(batch.rewards, B, 1).view({B}).clone();
  out.discounts = rows(batch.discounts, B, 1).view({B}).clone();
  return out;
}

MpoStepStats MpoTrainer::optimize(const MpoBatch& batch) {
  MpoStepStats stats;
  const int64_t B = batch.rewards.size(0);
  const int64_t A = batch.actions.size(1);
  const int64_t K = o_.num_samples;
  auto next_obs = batch.states.narrow(0, 0, B);
  auto obs = batch.states.narrow(0, B, B);
  const torch::Tensor &actions = batch.actions, &rewards = batch.rewards,
                      &discounts = batch.discounts;
  // K actions per state from a Gaussian, scored by the target critic: (K x B x A), (K x B)
  auto sample_and_score = [&](const torch::Tensor& states, const torch::Tensor& mean,
                              const torch::Tensor& std) {
    auto sampled = mean.unsqueeze(0) + std.unsqueeze(0) * torch::randn({K, B, A});
    return std::pair{sampled, target_critic_->forward_samples(states, sampled)};
  };

  // critic: expected SARSA with the target policy and critic
  torch::Tensor targets;
  {
    torch::NoGradGuard no_grad;
    auto [next_mean, next_std] = target_policy_->mean_std(next_obs);
    auto next_q = sample_and_score(next_obs, next_mean, next_std).second.mean(0);
    targets = rewards * o_.reward_scale + discounts * next_q;
  }
  auto q = critic_->forward(obs, actions);
  auto critic_loss = (q - targets).pow(2).mean();
  critic_optimizer_->zero_grad();
  critic_loss.backward();
  critic_optimizer_->step();

  // actor: E-step on target samples, decoupled M-step, duals
  torch::Tensor sampled, sampled_q, target_mean, target_std;
  {
    torch::NoGradGuard no_grad;
    std::tie(target_mean, target_std) = target_policy_->mean_std(obs);
    std::tie(sampled, sampled_q) = sample_and_score(obs, target_mean, target_std);
  }
  auto temperature = dual(duals_->log_temperature);
  auto weights = mpo_weights(sampled_q, temperature);
  auto dual_loss = mpo_temperature_loss(sampled_q, temperature, o_.epsilon);
  if (o_.action_penalization) {
    auto penalty_q = action_penalty_q(sampled);
    auto penalty_temperature = dual(duals_->log_penalty_temperature);
    weights = weights + mpo_weights(penalty_q, penalty_temperature);
    dual_loss =
        dual_loss + mpo_temperature_loss(penalty_q, penalty_temperature, o_.epsilon_penalty);
  }
  auto [mean, std] = policy_->mean_std(obs);
  auto alpha_mean = dual(duals_->log_alpha_mean), alpha_std = dual(duals_->log_alpha_std);
  MpoPolicyLosses losses =
      mpo_policy_losses(sampled, weights, mean, std, target_mean, target_std, alpha_mean, alpha_std,
                        o_.epsilon_mean, o_.epsilon_std);
  actor_optimizer_->zero_grad();
  dual_optimizer_->zero_grad();
  (losses.policy + losses.alpha + dual_loss.sum()).backward();
  actor_optimizer_->step();
  dual_optimizer_->step();
  {
    torch::NoGradGuard no_grad;
    for (auto& p : duals_->parameters()) p.clamp_min_(kMinLogDual);
  }
  polyak(*policy_, *target_policy_, o_.target_update);
  polyak(*critic_, *target_critic_, o_.target_update);

  stats.critic_loss = critic_loss.item<double>();
  stats.actor_loss = losses.policy.item<double>();
  stats.q_mean = q.mean().item<double>();
  stats.temperature = temperature.item<double>();
  stats.alpha_mean = alpha_mean.item<double>();
  stats.alpha_std = alpha_std.item<double>();
  stats.kl_mean = losses.kl_mean.item<double>();
  stats.kl_std = losses.kl_std.item<double>();
  stats.policy_std = std.mean().item<double>();
  return stats;
}

void MpoTrainer::save(const std::function<fs::path(const std::string&)>& file) {
  save_torch(policy_, file(kPolicyFile));
  save_torch(critic_, file(kCriticFile));
  save_torch(target_policy_, file("models/target_policy.pt"));
  save_torch(target_critic_, file("models/target_critic.pt"));
  save_torch(duals_, file("models/mpo_duals.pt"));
  save_torch(*actor_optimizer_, file("trainers/mpo_actor_optimizer.pt"));
  save_torch(*critic_optimizer_, file("trainers/mpo_critic_optimizer.pt"));
  save_torch(*dual_optimizer_, file("trainers/mpo_dual_optimizer.pt"));
}

void MpoTrainer::load(const fs::path& folder) {
  load_torch(policy_, folder / kPolicyFile);
  load_torch(critic_, folder / kCriticFile);
  load_torch(target_policy_, folder / "models/target_policy.pt");
  load_torch(target_critic_, folder / "models/target_critic.pt");
  load_torch(duals_, folder / "models/mpo_duals.pt");
  load_torch(*actor_optimizer_, folder / "trainers/mpo_actor_optimizer.pt");
  load_torch(*critic_optimizer_, folder / "trainers/mpo_critic_optimizer.pt");
  load_torch(*dual_optimizer_, folder / "trainers/mpo_dual_optimizer.pt");
  set_learning_rates(o_);  // this run's, not the saved ones
}

void MpoTrainer::reset_targets() {
  polyak(*policy_, *target_policy_, 1.0);
  polyak(*critic_, *target_critic_, 1.0);
}

void MpoTrainer::set_learning_rates(const MpoOptions& options) {
  auto set = [](torch::optim::Adam& optimizer, double lr) {
    for (auto& group : optimizer.param_groups()) {
      static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
    }
  };
  set(*actor_optimizer_, options.lr_actor);
  set(*critic_optimizer_, options.lr_critic);
  set(*dual_optimizer_, options.lr_dual);
  o_ = options;
}

}  // namespace sinew
