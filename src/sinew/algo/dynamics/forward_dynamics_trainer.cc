#include "sinew/algo/dynamics/forward_dynamics_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <numeric>
#include <sstream>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/checkpoint_files.h"
#include "sinew/nn/mlp.h"

namespace sinew {

ForwardDynamicsOptions ForwardDynamicsOptions::from_config(const Config& config) {
  ForwardDynamicsOptions o;
  o.hidden = config.get_int_list("algo.hidden", 1, 4096);
  o.lr = config.get_double("algo.lr", 1e-8, 1.0);
  o.epochs = static_cast<int>(config.get_int("algo.epochs", 1, 100));
  o.minibatch_size = static_cast<int>(config.get_int("algo.minibatch_size", 1, 1 << 20));
  o.reward_scale = config.get_double("algo.reward_scale", 0.0, 1e6);
  o.max_bonus = config.get_double("algo.max_bonus", 0.0, 1e6);
  return o;
}

ForwardDynamicsTrainer::ForwardDynamicsTrainer(int obs_dim, int action_dim,
                                               ForwardDynamicsOptions options, uint64_t seed)
    : obs_dim_(obs_dim),
      action_dim_(action_dim),
      options_(std::move(options)),
      net_(make_mlp(obs_dim + action_dim, options_.hidden, obs_dim, "relu", 1.0)),
      rng_(seed) {
  optimizer_ = std::make_unique<torch::optim::Adam>(net_->parameters(),
                                                    torch::optim::AdamOptions(options_.lr));
}

int64_t ForwardDynamicsTrainer::max_policy_lag() const {
  return std::numeric_limits<int64_t>::max();
}

void ForwardDynamicsTrainer::transitions(const TrajectoryBlock& b,
                                         const RunningNormalizer& normalizer, torch::Tensor* inputs,
                                         torch::Tensor* targets, std::vector<int64_t>* rows) {
  const int64_t N = b.N, O = obs_dim_, A = action_dim_;
  rows->clear();
  for (int64_t r = 0; r < b.num_steps(); ++r) {
    if (!b.terminated[r] && !b.truncated[r]) rows->push_back(r);
  }
  const auto R = static_cast<int64_t>(rows->size());
  std::vector<float> obs(R * O), next(R * O), in(R * (O + A)), target(R * O);
  for (int64_t k = 0; k < R; ++k) {
    const int64_t r = (*rows)[k];
    const int64_t t = r / N, n = r % N;
    const float* now = &b.obs[r * O];
    const float* after = t + 1 < b.T ? &b.obs[(r + N) * O] : &b.last_obs[n * O];
    std::copy_n(now, O, &obs[k * O]);
    std::copy_n(after, O, &next[k * O]);
  }
  std::vector<float> norm_obs(obs.size()), norm_next(next.size());
  normalizer.normalize(obs, norm_obs, R);
  normalizer.normalize(next, norm_next, R);
  for (int64_t k = 0; k < R; ++k) {
    std::copy_n(&norm_obs[k * O], O, &in[k * (O + A)]);
    const float* action = &b.actions[(*rows)[k] * A];
    for (int64_t j = 0; j < A; ++j) in[k * (O + A) + O + j] = std::clamp(action[j], -3.0f, 3.0f);
    // the change of the normalized observation
    for (int64_t i = 0; i < O; ++i) target[k * O + i] = norm_next[k * O + i] - norm_obs[k * O + i];
  }
  *inputs = torch::from_blob(in.data(), {R, O + A}, torch::kFloat).clone();
  *targets = torch::from_blob(target.data(), {R, O}, torch::kFloat).clone();
}

std::vector<float> ForwardDynamicsTrainer::prediction_errors(const TrajectoryBlock& b,
                                                             const RunningNormalizer& normalizer,
                                                             std::vector<uint8_t>* valid) {
  torch::Tensor inputs, targets;
  std::vector<int64_t> rows;
  transitions(b, normalizer, &inputs, &targets, &rows);
  std::vector<float> errors(b.num_steps(), 0.0f);
  valid->assign(b.num_steps(), 0);
  if (rows.empty()) return errors;
  torch::NoGradGuard no_grad;
  auto e = (net_->forward(inputs) - targets).pow(2).mean(1).contiguous();
  const float* data = e.data_ptr<float>();
  for (std::size_t k = 0; k < rows.size(); ++k) {
    errors[rows[k]] = data[k];
    (*valid)[rows[k]] = 1;
  }
  return errors;
}

void ForwardDynamicsTrainer::add_rewards(const TrajectoryBlock& block,
                                         const RunningNormalizer& normalizer,
                                         std::span<float> rewards, MetricsSink& metrics) {
  std::vector<uint8_t> valid;
  const std::vector<float> errors = prediction_errors(block, normalizer, &valid);
  double error_sum = 0, bonus_sum = 0;
  int64_t count = 0;
  for (std::size_t r = 0; r < errors.size(); ++r) {
    if (!valid[r]) continue;
    const double bonus = std::min(options_.reward_scale * errors[r], options_.max_bonus);
    rewards[r] += static_cast<float>(bonus);
    error_sum += errors[r];
    bonus_sum += bonus;
    ++count;
  }
  if (count == 0) return;
  metrics.record("train/prediction_error", error_sum / count);
  metrics.record("train/bonus", bonus_sum / count);
}

bool ForwardDynamicsTrainer::consume(TrajectoryBlock block, const RunningNormalizer& normalizer,
                                     MetricsSink& metrics) {
  const auto start = std::chrono::steady_clock::now();
  torch::Tensor inputs, targets;
  std::vector<int64_t> rows;
  transitions(block, normalizer, &inputs, &targets, &rows);
  const auto R = static_cast<int64_t>(rows.size());
  if (R == 0) return false;
  std::vector<int64_t> order(R);
  double loss_sum = 0;
  int64_t updates = 0;
  for (int epoch = 0; epoch < options_.epochs; ++epoch) {
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng_);
    for (int64_t begin = 0; begin < R; begin += options_.minibatch_size) {
      const int64_t end = std::min<int64_t>(R, begin + options_.minibatch_size);
      auto index = torch::from_blob(order.data() + begin, {end - begin}, torch::kLong);
      auto loss = torch::mse_loss(net_->forward(inputs.index_select(0, index)),
                                  targets.index_select(0, index));
      optimizer_->zero_grad();
      loss.backward();
      optimizer_->step();
      loss_sum += loss.item<double>();
      ++updates;
    }
  }
  metrics.record("train/loss", loss_sum / static_cast<double>(updates));
  metrics.record("train/update_seconds",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return true;
}

NamedTensors ForwardDynamicsTrainer::named_tensors() { return module_tensors(*net_, "dynamics."); }

void ForwardDynamicsTrainer::save(CheckpointWriter* writer) const {
  save_torch(net_, writer->file(kModelFile));
  save_torch(*optimizer_, writer->file(kOptimizerFile));
  std::ostringstream rng;
  rng << rng_;
  write_file(writer->file(kRngFile), rng.str());
}

void ForwardDynamicsTrainer::load(const std::filesystem::path& checkpoint) {
  load_torch(net_, checkpoint / kModelFile);
  load_torch(*optimizer_, checkpoint / kOptimizerFile);
  for (auto& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(options_.lr);
  }
  std::istringstream rng(read_text_file(checkpoint / kRngFile));
  rng >> rng_;
  if (rng.fail()) {
    throw UserError(fmt::format("{}: not a random stream state", (checkpoint / kRngFile).string()));
  }
}

}  // namespace sinew
