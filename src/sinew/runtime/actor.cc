#include "sinew/runtime/actor.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "sinew/core/binary_io.h"
#include "sinew/nn/compute_threads.h"
#include "sinew/nn/param_copy.h"

namespace sinew {
namespace {

// splitmix64: well-spread seeds from consecutive integers
uint64_t mix_seed(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

}  // namespace

Actor::Actor(int id, int num_envs, int rollout_length, uint64_t seed, ActorContext context,
             std::unique_ptr<ActorLink> link)
    : id_(id),
      num_envs_(num_envs),
      rollout_length_(rollout_length),
      seed_(mix_seed(seed * 1000003ull + static_cast<uint64_t>(id))),
      ctx_(std::move(context)),
      link_(std::move(link)),
      env_episode_(num_envs, 0),
      episode_return_(num_envs, 0.0),
      episode_length_(num_envs, 0) {
  if (ctx_.policies.empty()) throw std::invalid_argument("an actor needs at least one policy");
  const EnvSpec& spec = ctx_.envs->spec();
  obs_.resize(static_cast<std::size_t>(num_envs) * spec.obs_dim);
  for (std::size_t p = 0; p < ctx_.policies.size(); ++p) {
    Policy policy;
    policy.spec = ctx_.policies[p];
    const ActorCriticOptions& o = policy.spec.options;
    policy.model = ActorCritic(o);
    policy.model->eval();
    // the first policy's noise stream is the one a run of one policy always had
    policy.sampler = std::make_unique<ActionSampler>(
        o.action_dim, o.num_actions, mix_seed(seed_ + 15485863ull * p), o.state_dependent_std);
    policy.whole = policy.spec.obs_index.empty() && policy.spec.action_index.empty();
    policy.obs.resize(static_cast<std::size_t>(num_envs) * o.obs_dim);
    policy.norm_obs.resize(policy.obs.size());
    policy.head.resize(static_cast<std::size_t>(num_envs) * policy.model->head_dim());
    policy.actions.resize(static_cast<std::size_t>(num_envs) * o.action_dim);
    policy.log_probs.resize(num_envs);
    policies_.push_back(std::move(policy));
  }
  env_action_.resize(spec.action_dim);
  for (int i = 0; i < num_envs; ++i) {
    envs_.push_back(ctx_.envs->make());
    if (ctx_.exploration) {
      exploration_.push_back(ctx_.exploration(mix_seed(seed_ + 104729ull * (i + 1))));
    }
  }
}

void Actor::reset_env(int index) {
  uint64_t episode_seed =
      mix_seed(seed_ + 7919ull * static_cast<uint64_t>(index) + (env_episode_[index]++ << 20));
  const int obs_dim = ctx_.envs->spec().obs_dim;
  envs_[index]->reset(episode_seed, std::span<float>(&obs_[index * obs_dim], obs_dim));
  if (!exploration_.empty()) exploration_[index]->start_episode();
  episode_return_[index] = 0;
  episode_length_[index] = 0;
}

std::span<const float> Actor::executed_action(int n, float* action, int64_t run_steps) {
  const EnvSpec& spec = ctx_.envs->spec();
  const int A = spec.action_dim;
  if (!exploration_.empty() &&
      exploration_[n]->act(*envs_[n], run_steps, {action, static_cast<std::size_t>(A)})) {
    ++explored_steps_;
  }
  if (!ctx_.normalized_actions || ctx_.clip_actions) return {action, static_cast<std::size_t>(A)};
  for (int j = 0; j < A; ++j) env_action_[j] = spec.from_unit(j, action[j]);
  return env_action_;
}

void Actor::act(TrajectoryBlock* block, int64_t t) {
  const EnvSpec& spec = ctx_.envs->spec();
  const int obs_dim = spec.obs_dim, action_dim = spec.action_dim;
  const int64_t N = num_envs_;
  const int P = static_cast<int>(policies_.size());
  for (int p = 0; p < P; ++p) {
    Policy& policy = policies_[p];
    const ActorCriticOptions& o = policy.spec.options;
    // its observation slice, normalized with its statistics
    const auto& obs_index = policy.spec.obs_index;
    if (obs_index.empty()) {
      policy.snapshot->obs_normalizer.normalize(obs_, policy.norm_obs, N);
    } else {
      for (int64_t n = 0; n < N; ++n) {
        for (std::size_t k = 0; k < obs_index.size(); ++k) {
          policy.obs[n * obs_index.size() + k] = obs_[n * obs_dim + obs_index[k]];
        }
      }
      policy.snapshot->obs_normalizer.normalize(policy.obs, policy.norm_obs, N);
    }
    auto obs_tensor = torch::from_blob(policy.norm_obs.data(), {N, o.obs_dim}, torch::kFloat);
    std::vector<float> log_std(o.action_dim, 0.0f);
    if (o.num_actions == 0 && !o.state_dependent_std) {
      auto ls = policy.model->log_std().contiguous();
      std::copy_n(ls.data_ptr<float>(), o.action_dim, log_std.begin());
    }
    {
      torch::NoGradGuard no_grad;
      auto head = policy.model->policy(obs_tensor).contiguous();
      std::copy_n(head.data_ptr<float>(), policy.head.size(), policy.head.begin());
    }
    float* actions = &block->actions[t * N * action_dim];
    if (policy.whole && P == 1) {
      policy.sampler->sample(policy.head.data(), log_std.data(), N, /*deterministic=*/false,
                             actions, &block->log_probs[t * N]);
      continue;
    }
    policy.sampler->sample(policy.head.data(), log_std.data(), N, /*deterministic=*/false,
                           policy.actions.data(), policy.log_probs.data());
    // its part of each env's action, and its column of the log-probabilities
    const auto& action_index = policy.spec.action_index;
    const int A = static_cast<int>(o.action_dim);
    for (int64_t n = 0; n < N; ++n) {
      for (int k = 0; k < A; ++k) {
        const int j = action_index.empty() ? k : action_index[k];
        actions[n * action_dim + j] = policy.actions[n * A + k];
      }
      block->log_probs[(t * N + n) * P + p] = policy.log_probs[n];
    }
  }
}

bool Actor::refresh_params() {
  for (auto& policy : policies_) {
    auto latest = policy.spec.params->latest();
    if (!latest) return false;
    if (!policy.snapshot || latest->version != policy.snapshot->version) {
      policy.snapshot = latest;
      copy_params_in(*policy.snapshot, *policy.model);
    }
  }
  return true;
}

int64_t Actor::collect(TrajectoryBlock* block) {
  const EnvSpec& spec = ctx_.envs->spec();
  const int obs_dim = spec.obs_dim, action_dim = spec.action_dim;
  const int64_t N = num_envs_;
  std::map<std::string, double> episode_metrics;
  const int64_t run_steps = link_->run_steps();
  int64_t episodes = 0;
  explored_steps_ = 0;
  stepping();

  for (int64_t t = 0; t < block->T; ++t) {
    link_->beat(Activity::kCollecting);
    // observe and infer, batched over the envs
    std::copy(obs_.begin(), obs_.end(), block->obs.begin() + t * N * obs_dim);
    act(block, t);
    float* actions = &block->actions[t * N * action_dim];

    // step every env; episodes that end are reported and restarted
    for (int n = 0; n < N; ++n) {
      const int64_t row = t * N + n;
      std::span<float> obs(&obs_[n * obs_dim], obs_dim);
      const std::span<const float> action =
          executed_action(n, actions + n * action_dim, run_steps + t * N + n);
      block->step_time_ns[row] = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
      StepResult r = envs_[n]->step(action, obs);
      block->rewards[row] = r.reward;
      block->terminated[row] = r.terminated;
      block->truncated[row] = r.truncated;
      episode_return_[n] += r.reward;
      episode_length_[n] += 1;
      if (!r.done()) continue;
      if (r.truncated) {
        block->final_index.push_back(row);
        block->final_obs.insert(block->final_obs.end(), obs.begin(), obs.end());
      }
      if (!r.diverged) {
        block->episode_returns.push_back(episode_return_[n]);
        block->metrics.emplace_back("rollout/return", episode_return_[n]);
        block->metrics.emplace_back("rollout/length", static_cast<double>(episode_length_[n]));
        episode_metrics.clear();
        envs_[n]->episode_metrics(&episode_metrics);
        for (const auto& [name, value] : episode_metrics) {
          // names with their own group (reward/velocity) keep it; others go under env/
          block->metrics.emplace_back(name.find('/') == std::string::npos ? "env/" + name : name,
                                      value);
        }
      }
      ++episodes;
      reset_env(n);
    }
  }
  std::copy(obs_.begin(), obs_.end(), block->last_obs.begin());
  if (!exploration_.empty()) {
    block->metrics.emplace_back(
        "rollout/" + exploration_.front()->name() + "_fraction",
        static_cast<double>(explored_steps_) / static_cast<double>(block->num_steps()));
  }

  // divergences since the last block
  int64_t divergences = 0;
  for (const auto& env : envs_) divergences += env->divergences();
  if (divergences != divergences_reported_) {
    block->metrics.emplace_back("rollout/divergences",
                                static_cast<double>(divergences - divergences_reported_));
    divergences_reported_ = divergences;
  }
  return episodes;
}

void Actor::pause_envs() {
  if (envs_paused_) return;
  for (auto& env : envs_) env->pause();
  envs_paused_ = true;
}

void Actor::resume_envs() {
  if (!envs_paused_) return;
  for (auto& env : envs_) env->resume();
  envs_paused_ = false;
}

void Actor::waiting() {
  const auto now = std::chrono::steady_clock::now();
  if (!waiting_since_) waiting_since_ = now;
  if (std::chrono::duration<double>(now - *waiting_since_).count() >= ctx_.pause_envs_after_s) {
    pause_envs();
  }
}

void Actor::stepping() {
  waiting_since_.reset();
  resume_envs();
}

void Actor::run() {
  set_intra_op_threads(1);
  // however the thread ends (a stop, a closed queue, an exception), the envs are told
  struct CloseEnvs {
    std::vector<std::unique_ptr<Env>>& envs;
    ~CloseEnvs() {
      for (auto& env : envs) env->close();
    }
  } close_envs{envs_};
  const EnvSpec& spec = ctx_.envs->spec();
  if (!restored_) {
    for (int n = 0; n < num_envs_; ++n) reset_env(n);
  }
  if (!link_) throw std::logic_error("an actor runs only with a link to its run");
  while (link_->boundary([this] { pause_envs(); }, [this] { resume_envs(); })) {
    if (id_ == ctx_.fail_actor && policies_.front().snapshot) {
      throw std::runtime_error(fmt::format("actor {}: injected failure (debug.fail_actor)", id_));
    }
    if (id_ == ctx_.stall_actor && policies_.front().snapshot) {
      // fault injection for the watchdog: stop beating, but still notice a stop
      while (!link_->stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      return;
    }
    const int64_t block_steps = static_cast<int64_t>(rollout_length_) * num_envs_;
    if (!link_->claim(block_steps)) {
      link_->beat(Activity::kIdle);
      waiting();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      continue;
    }
    // synchronous acting: only the steps the next update needs, then wait for it
    while (!link_->admit(block_steps, std::chrono::milliseconds(100))) {
      if (ctx_.blocks->closed() || link_->stopping()) return;
      link_->beat(Activity::kAwaitingUpdate);
      waiting();
    }
    // act with the newest parameters of every policy
    if (!refresh_params()) throw std::logic_error("a policy has no published parameters");
    const int P = static_cast<int>(policies_.size());
    TrajectoryBlock block(rollout_length_, num_envs_, spec.obs_dim, spec.action_dim, P);
    block.policy_version = policies_.front().snapshot->version;
    for (int p = 0; p < P && P > 1; ++p) block.policy_versions[p] = policies_[p].snapshot->version;
    block.actor_id = id_;
    const int64_t episodes = collect(&block);
    const int64_t steps = block.num_steps();
    // wait for room; the learner drains the queue even while a pause is pending
    link_->beat(Activity::kSending);
    bool sent = false;
    while (!sent) {
      sent = ctx_.blocks->send(block, std::chrono::milliseconds(100));
      if (!sent && (ctx_.blocks->closed() || link_->stopping())) return;
      link_->beat(Activity::kSending);
      if (!sent) waiting();
    }
    link_->sent(steps, episodes);
  }
}

std::string Actor::save_state() const {
  BinaryWriter out;
  out.put<int>(num_envs_);
  out.put<int>(ctx_.envs->spec().obs_dim);
  // an env that keeps no state writes nothing (no env's own state is empty)
  for (int n = 0; n < num_envs_; ++n) {
    out.put_string(envs_[n]->saves_state() ? envs_[n]->save_state() : std::string());
  }
  out.put_vector(env_episode_);
  out.put_vector(episode_return_);
  out.put_vector(episode_length_);
  out.put_vector(obs_);
  for (const auto& policy : policies_) out.put_string(policy.sampler->save_state());
  out.put<int64_t>(divergences_reported_);
  out.put<uint8_t>(exploration_.empty() ? 0 : 1);
  for (const auto& exploration : exploration_) exploration->save_state(&out);
  return out.bytes();
}

void Actor::load_state(const std::string& bytes, const std::string& source) {
  BinaryReader in(bytes, source);
  if (in.get<int>() != num_envs_ || in.get<int>() != ctx_.envs->spec().obs_dim) {
    in.fail("saved with a different number of envs or observation size");
  }
  std::vector<bool> fresh(num_envs_, false);  // saved without state: a new episode
  for (int n = 0; n < num_envs_; ++n) {
    std::string state = in.get_string();
    if (state.empty()) {
      fresh[n] = true;
    } else if (!envs_[n]->saves_state()) {
      in.fail("saved with env state that this env does not keep");
    } else {
      envs_[n]->load_state(state, source);
    }
  }
  env_episode_ = in.get_vector<uint64_t>();
  episode_return_ = in.get_vector<double>();
  episode_length_ = in.get_vector<int64_t>();
  obs_ = in.get_vector<float>();
  if (obs_.size() != static_cast<std::size_t>(num_envs_) * ctx_.envs->spec().obs_dim ||
      env_episode_.size() != envs_.size()) {
    in.fail("actor state has the wrong sizes");
  }
  for (int n = 0; n < num_envs_; ++n) {
    if (fresh[n]) reset_env(n);
  }
  for (auto& policy : policies_) policy.sampler->load_state(in.get_string(), source);
  divergences_reported_ = in.get<int64_t>();
  if ((in.get<uint8_t>() != 0) != !exploration_.empty()) {
    in.fail("saved with exploration (DEP) switched otherwise");
  }
  for (auto& exploration : exploration_) exploration->load_state(&in, source);
  if (!in.at_end()) in.fail("unexpected data after the actor state");
  restored_ = true;
}

}  // namespace sinew
