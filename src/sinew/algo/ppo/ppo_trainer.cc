#include "sinew/algo/ppo/ppo_trainer.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>
#include <sstream>

#include "sinew/algo/gae.h"
#include "sinew/algo/ppo/ppo_loss.h"
#include "sinew/algo/vtrace.h"
#include "sinew/core/errors.h"

namespace sinew {

PpoOptions PpoOptions::from_config(const Config& c) {
  PpoOptions o;
  o.lr = c.get_double("algo.lr", 0, 1);
  o.gamma = c.get_double("algo.gamma", 0, 1);
  o.gae_lambda = c.get_double("algo.gae_lambda", 0, 1);
  o.clip_epsilon = c.get_double("algo.clip_epsilon", 0, 1);
  o.value_coef = c.get_double("algo.value_coef", 0, 1e6);
  o.entropy_coef = c.get_double("algo.entropy_coef", 0, 1e6);
  o.epochs = static_cast<int>(c.get_int("algo.epochs", 1, 1000));
  o.minibatch_size = c.get_int("algo.minibatch_size", 1, 1 << 24);
  o.batch_steps = c.get_int("algo.batch_steps", 1, 1 << 26);
  o.max_grad_norm = c.get_double("algo.max_grad_norm", 0, 1e9);
  o.max_policy_lag = c.get_int("algo.max_policy_lag", 0, 1 << 20);
  o.reward_scale = c.get_double("algo.reward_scale", 0, 1e9);
  o.normalize_advantages = c.get_bool("algo.normalize_advantages");
  o.normalize_returns = c.has("algo.normalize_returns") && c.get_bool("algo.normalize_returns");
  o.correction = c.get_choice("algo.correction", {"vtrace", "none"}) == "vtrace"
                     ? PpoOptions::Correction::kVtrace
                     : PpoOptions::Correction::kNone;
  o.vtrace_rho_clip = c.get_double("algo.vtrace_rho_clip", 0, 1e9);
  o.vtrace_c_clip = c.get_double("algo.vtrace_c_clip", 0, 1e9);
  o.lr_schedule = c.has("algo.lr_schedule") &&
                          c.get_choice("algo.lr_schedule", {"constant", "linear"}) == "linear"
                      ? PpoOptions::LrSchedule::kLinear
                      : PpoOptions::LrSchedule::kConstant;
  o.total_steps = c.has("trainer.total_steps") ? c.get_int("trainer.total_steps", 1) : 0;
  return o;
}

PpoTrainer::PpoTrainer(ActorCritic model, const PpoOptions& options, uint64_t seed)
    : model_(std::move(model)),
      options_(options),
      optimizer_(std::make_unique<torch::optim::Adam>(
          model_->parameters(), torch::optim::AdamOptions(options.lr).eps(1e-5))),
      rng_(seed) {}

namespace {

torch::Tensor to_tensor(const std::vector<float>& data, int64_t rows, int64_t cols) {
  return torch::from_blob(const_cast<float*>(data.data()), {rows, cols}, torch::kFloat).clone();
}

}  // namespace

PpoUpdateStats PpoTrainer::update(const std::vector<TrajectoryBlock>& blocks,
                                  const RunningNormalizer& normalizer) {
  PpoUpdateStats stats;
  if (blocks.empty()) return stats;
  optimize(prepare(blocks, normalizer, &stats), &stats);
  return stats;
}

PpoBatch PpoTrainer::prepare(const std::vector<TrajectoryBlock>& blocks,
                             const RunningNormalizer& normalizer, PpoUpdateStats* out) {
  PpoUpdateStats& stats = *out;
  const int obs_dim = blocks.front().obs_dim;
  const int action_dim = blocks.front().action_dim;

  // per block: normalized inputs, values, GAE
  std::vector<torch::Tensor> all_obs, all_actions, all_logp, all_adv, all_ret, all_values;
  for (const auto& b : blocks) {
    const int64_t rows = b.num_steps();
    const int64_t finals = static_cast<int64_t>(b.final_index.size());
    std::vector<float> norm(rows * obs_dim), norm_last(b.N * obs_dim), norm_final(finals * obs_dim);
    normalizer.normalize(b.obs, norm, rows);
    normalizer.normalize(b.last_obs, norm_last, b.N);
    normalizer.normalize(b.final_obs, norm_final, finals);
    auto obs = to_tensor(norm, rows, obs_dim);

    std::vector<float> values(rows), next_values(rows);
    {
      torch::NoGradGuard no_grad;
      auto v = model_->value(obs).contiguous();
      std::copy_n(v.data_ptr<float>(), rows, values.begin());
      auto v_last = model_->value(to_tensor(norm_last, b.N, obs_dim)).contiguous();
      // V(s_{t+1}): the next row, or the observation after the block for the last step
      for (int64_t i = 0; i + b.N < rows; ++i) next_values[i] = values[i + b.N];
      std::copy_n(v_last.data_ptr<float>(), b.N, next_values.begin() + (rows - b.N));
      if (finals > 0) {
        auto v_final = model_->value(to_tensor(norm_final, finals, obs_dim)).contiguous();
        for (int64_t k = 0; k < finals; ++k) {
          next_values[b.final_index[k]] = v_final.data_ptr<float>()[k];
        }
      }
    }
    std::vector<float> rewards(rows);
    std::vector<uint8_t> ended(rows);
    for (int64_t i = 0; i < rows; ++i) {
      rewards[i] = static_cast<float>(b.rewards[i] * options_.reward_scale);
      ended[i] = b.terminated[i] | b.truncated[i];
    }
    std::vector<float> advantages(rows), returns(rows);
    auto actions = to_tensor(b.actions, rows, action_dim);
    if (options_.correction == PpoOptions::Correction::kVtrace) {
      // importance weights of the current policy against the one that acted
      std::vector<float> log_rhos(rows);
      {
        torch::NoGradGuard no_grad;
        auto logp = model_->evaluate_actions(obs, actions).first.contiguous();
        for (int64_t i = 0; i < rows; ++i) log_rhos[i] = logp.data_ptr<float>()[i] - b.log_probs[i];
      }
      for (float lr : log_rhos) stats.importance_weight += std::exp(lr);
      VtraceOptions vo{options_.gamma, options_.gae_lambda, options_.vtrace_rho_clip,
                       options_.vtrace_c_clip};
      compute_vtrace(b.T, b.N, rewards, values, next_values, b.terminated, ended, log_rhos, vo,
                     returns, advantages);
    } else {
      compute_gae(b.T, b.N, rewards, values, next_values, b.terminated, ended, options_.gamma,
                  options_.gae_lambda, advantages, returns);
    }

    all_obs.push_back(obs);
    all_actions.push_back(actions);
    all_logp.push_back(to_tensor(b.log_probs, rows, 1).squeeze(1));
    all_adv.push_back(to_tensor(advantages, rows, 1).squeeze(1));
    all_ret.push_back(to_tensor(returns, rows, 1).squeeze(1));
    all_values.push_back(to_tensor(values, rows, 1).squeeze(1));
  }
  PpoBatch batch;
  batch.obs = torch::cat(all_obs);
  batch.actions = torch::cat(all_actions);
  batch.log_probs = torch::cat(all_logp);
  batch.advantages = torch::cat(all_adv);
  batch.returns = torch::cat(all_ret);
  auto values_before = torch::cat(all_values);
  const int64_t total = batch.obs.size(0);
  stats.samples = total;
  stats.importance_weight = options_.correction == PpoOptions::Correction::kVtrace
                                ? stats.importance_weight / total
                                : 1.0;

  auto return_var = batch.returns.var().item<double>();
  stats.explained_variance =
      return_var > 0 ? 1.0 - (batch.returns - values_before).var().item<double>() / return_var
                     : 0.0;
  if (options_.normalize_advantages && total > 1) {
    batch.advantages =
        (batch.advantages - batch.advantages.mean()) / (batch.advantages.std() + 1e-8);
  }
  return batch;
}

void PpoTrainer::optimize(const PpoBatch& batch, PpoUpdateStats* out) {
  PpoUpdateStats& stats = *out;
  const torch::Tensor &obs = batch.obs, &actions = batch.actions, &old_logp = batch.log_probs,
                      &advantages = batch.advantages, &returns = batch.returns;
  const int64_t total = obs.size(0);
  // minibatch epochs over a shuffled order
  std::vector<int64_t> order(total);
  std::iota(order.begin(), order.end(), 0);
  const int64_t minibatch = std::min(options_.minibatch_size, total);
  int64_t steps = 0;
  for (int epoch = 0; epoch < options_.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng_);
    auto perm = torch::from_blob(order.data(), {total}, torch::kLong);
    for (int64_t start = 0; start + minibatch <= total; start += minibatch) {
      auto idx = perm.slice(0, start, start + minibatch);
      auto mb_obs = obs.index_select(0, idx);
      auto [logp, entropy] = model_->evaluate_actions(mb_obs, actions.index_select(0, idx));
      auto value = model_->value(mb_obs);
      auto loss = ppo_loss(logp, old_logp.index_select(0, idx), advantages.index_select(0, idx),
                           value, returns.index_select(0, idx), entropy, options_.clip_epsilon,
                           options_.value_coef, options_.entropy_coef);
      optimizer_->zero_grad();
      loss.total.backward();
      double norm = torch::nn::utils::clip_grad_norm_(
          model_->parameters(),
          options_.max_grad_norm > 0 ? options_.max_grad_norm : std::numeric_limits<double>::max());
      optimizer_->step();
      stats.policy_loss += loss.policy.item<double>();
      stats.value_loss += loss.value.item<double>();
      stats.entropy += loss.entropy.item<double>();
      stats.approx_kl += loss.approx_kl.item<double>();
      stats.clip_fraction += loss.clip_fraction.item<double>();
      stats.grad_norm += norm;
      ++steps;
    }
  }
  if (steps > 0) {
    double n = static_cast<double>(steps);
    stats.policy_loss /= n;
    stats.value_loss /= n;
    stats.entropy /= n;
    stats.approx_kl /= n;
    stats.clip_fraction /= n;
    stats.grad_norm /= n;
  }
}

void PpoTrainer::set_learning_rate(double lr) {
  options_.lr = lr;
  for (auto& group : optimizer_->param_groups()) {
    static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  }
}

std::string PpoTrainer::save_rng() const {
  std::ostringstream out;
  out << rng_;
  return out.str();
}

void PpoTrainer::load_rng(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  in >> rng_;
  if (!in) throw UserError(source + ": bad trainer random state");
}

}  // namespace sinew
