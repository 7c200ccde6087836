// An actor thread: steps a slice of environments with batched inference on the newest
// parameter snapshot of each policy of the agent (from its ParamSource) and sends trajectory blocks
// to a BlockSink (the learner's queue in one process). It reaches the rest of the run through its
// ActorLink (pausing, heartbeats, the step budget, the counts), so it does not care whether that
// run is in this process. It tells its envs when the run pauses, resumes and stops, and pauses them
// while it waits.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sinew/env/env_maker.h"
#include "sinew/env/exploration.h"
#include "sinew/nn/action_sampler.h"
#include "sinew/nn/actor_critic.h"
#include "sinew/runtime/actor_link.h"
#include "sinew/transport/block_sink.h"
#include "sinew/transport/param_source.h"
#include "sinew/transport/trajectory_block.h"

namespace sinew {

// One policy of the agent (agent_spec.h) as the actors run it.
struct ActingPolicy {
  const ParamSource* params = nullptr;  // its newest parameters and observation statistics
  ActorCriticOptions options;           // its network
  std::vector<int> obs_index;           // the observation values it reads; empty: all
  std::vector<int> action_index;        // the action values it writes; empty: all
};

// What every actor shares with the rest of the run. Pointers outlive the actors.
struct ActorContext {
  const EnvMaker* envs = nullptr;  // makes this actor's envs
  // The agent's policies, in the learner's order: each acts on its part of every env's action
  // with its own parameters; a block carries each one's log-probabilities and version.
  std::vector<ActingPolicy> policies;
  BlockSink* blocks = nullptr;  // where collected blocks go
  // An actor that waits this long for room in the queue, for the synchronous gate or because the
  // run's steps are all claimed pauses its envs until it steps them again (Env::pause: a world
  // with actuators sends its neutral action instead of holding the last one) [s].
  double pause_envs_after_s = 0.5;
  // The policy acts in [-1, 1] (MPO); actions are mapped linearly to the env's bounds before
  // stepping, or with clip_actions passed as they are, so the env clips them to its bounds
  // (DEP-RL: an output <= 0 silences a muscle).
  bool normalized_actions = false;
  bool clip_actions = false;
  // Exploration that may act instead of the policy (DEP-RL's DEP): one per env, made with a seed
  // for that env; empty: the policy acts alone.
  std::function<std::unique_ptr<Exploration>(uint64_t seed)> exploration;
  int stall_actor = -1;  // fault injection: this actor stops beating
  int fail_actor = -1;   // fault injection: this actor throws
};

class Actor {
 public:
  // `seed` determines the envs' episodes and the action noise of this actor. `link` connects it
  // to its run; run() needs it, save_state() and load_state() do not.
  Actor(int id, int num_envs, int rollout_length, uint64_t seed, ActorContext context,
        std::unique_ptr<ActorLink> link = nullptr);

  // Thread body: collects and sends blocks until the run stops or the queue is closed, parking
  // at block boundaries when a pause is requested. Uses one intra-op thread for inference.
  // Exceptions propagate to the caller.
  void run();

  // The actor's whole state at a block boundary (envs mid-episode, current observations,
  // episode statistics, random streams) as bytes; only call while the actor is parked or not
  // yet running. load_state() restores it into an actor built with the same config.
  std::string save_state() const;
  void load_state(const std::string& bytes, const std::string& source);

  int id() const { return id_; }

 private:
  void reset_env(int index);
  // Fills `block`; returns how many episodes ended in it.
  int64_t collect(TrajectoryBlock* block);
  // Both idempotent: envs paused (by a park or a long wait) are resumed once, before they step.
  void pause_envs();
  void resume_envs();
  // One round of a wait (queue, gate, budget): the envs pause once it has lasted
  // pause_envs_after_s. stepping() ends the wait.
  void waiting();
  void stepping();
  // The action env n executes this step: exploration's when it acts (written over the sampled
  // one in `action`), then mapped to the env's bounds into env_action_ if needed.
  std::span<const float> executed_action(int n, float* action, int64_t run_steps);

  int id_;
  int num_envs_;
  int rollout_length_;
  uint64_t seed_;
  ActorContext ctx_;
  std::unique_ptr<ActorLink> link_;
  std::vector<std::unique_ptr<Env>> envs_;
  bool envs_paused_ = false;
  std::optional<std::chrono::steady_clock::time_point> waiting_since_;  // empty: not waiting
  std::vector<uint64_t> env_episode_;    // (num_envs) episodes started per env
  std::vector<double> episode_return_;   // (num_envs)
  std::vector<int64_t> episode_length_;  // (num_envs)
  std::vector<float> obs_;               // (num_envs x obs_dim) current raw observations
  // One per policy: its network on its newest snapshot, its action noise, and scratch.
  struct Policy {
    ActingPolicy spec;
    ActorCritic model{nullptr};
    std::shared_ptr<const ParamSnapshot> snapshot;
    std::unique_ptr<ActionSampler> sampler;
    std::vector<float> obs;        // (num_envs x its obs) raw, its slice
    std::vector<float> norm_obs;   // (num_envs x its obs) normalized for inference
    std::vector<float> head;       // (num_envs x head_dim) outputs
    std::vector<float> actions;    // (num_envs x its actions) sampled
    std::vector<float> log_probs;  // (num_envs)
    bool whole = false;            // reads and writes everything (a run of one policy)
  };
  std::vector<Policy> policies_;
  // Infers and samples each policy's actions for step t of `block` from obs_.
  void act(TrajectoryBlock* block, int64_t t);
  // Takes each policy's newest snapshot; true once every policy has one.
  bool refresh_params();
  int64_t divergences_reported_ = 0;
  std::vector<std::unique_ptr<Exploration>> exploration_;  // (num_envs) or empty
  std::vector<float> env_action_;                          // (action_dim) mapped action
  int64_t explored_steps_ = 0;  // steps exploration acted in the current block
  bool restored_ = false;       // load_state() ran: do not reset the envs at start
};

}  // namespace sinew
