// The environment interface: plain C++ over float spans, no neural-network library.
//
// An Env is owned and stepped by one thread at a time. Observations and actions are written
// straight into caller-provided rows of preallocated batches (zero copy).
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <span>
#include <string>
#include <vector>

namespace sinew {

// What an environment looks like from outside. Declared once per env type.
struct EnvSpec {
  std::string name;
  int obs_dim = 0;
  int action_dim = 0;                // continuous: vector length; discrete: 1 (the index)
  int num_actions = 0;               // > 0: discrete with this many choices; 0: continuous
  std::vector<float> action_low;     // (action_dim) continuous bounds; actions are clipped
  std::vector<float> action_high;    // (action_dim)
  std::vector<std::string> action_names;  // (action_dim) e.g. muscle or actuator names
  double control_dt_s = 0;           // simulated time per step() [s]
  int max_episode_steps = 0;         // time limit: the step that reaches it returns truncated
  std::vector<std::string> episode_metric_names;  // keys episode_metrics() fills

  bool is_discrete() const { return num_actions > 0; }
  // Maps component j of an action in the normalized space [-1, 1] (clipped first) to
  // [action_low[j], action_high[j]].
  float from_unit(int j, float a) const {
    const float c = a < -1.0f ? -1.0f : (a > 1.0f ? 1.0f : a);
    return action_low[j] + 0.5f * (c + 1.0f) * (action_high[j] - action_low[j]);
  }
};

// The outcome of one control step.
struct StepResult {
  float reward = 0;
  // The episode reached a terminal state: its value is 0, do not bootstrap.
  bool terminated = false;
  // The episode was cut by the time limit: bootstrap from the observation written by step().
  bool truncated = false;
  // The simulation diverged (NaN, bad accelerations). The episode ends as terminated, the
  // observation is zeros, and divergences() counts it. The caller resets as after any end.
  bool diverged = false;

  bool done() const { return terminated || truncated; }
};

class Env {
 public:
  virtual ~Env() = default;

  virtual const EnvSpec& spec() const = 0;

  // Starts a new episode from `seed` (same seed, same episode); writes the first observation.
  // obs: (obs_dim)
  virtual void reset(uint64_t seed, std::span<float> obs) = 0;

  // Applies `action` for one control step and writes the next observation. After a step whose
  // result is done(), call reset() before stepping again.
  // action: (action_dim), for discrete envs the index as a float; obs: (obs_dim)
  virtual StepResult step(std::span<const float> action, std::span<float> obs) = 0;

  // Adds the metrics of the episode that just ended (after a done() step), e.g.
  // "upright_fraction". Keys are spec().episode_metric_names.
  virtual void episode_metrics(std::map<std::string, double>* out) const {}

  // Channels recorded by `sinew play` into a motion file (.sto), and their values now.
  // Angles are in degrees (the file says inDegrees=yes), translations in metres.
  virtual std::vector<std::string> motion_labels() const { return {}; }
  virtual void motion_values(std::vector<double>* out) const {}

  // Muscle-driven envs: each muscle's fiber length [m] and tendon force [N] now, in action
  // order (DEP exploration reads them). Returns false for envs without muscles.
  virtual bool muscle_state(std::vector<double>* fiber_lengths_m,
                            std::vector<double>* forces_N) const {
    return false;
  }

  // Simulations that diverged and were reset since construction.
  virtual int64_t divergences() const { return 0; }

  // The whole mid-episode state (simulation, episode statistics, random stream) as bytes, so
  // a resumed run continues the same episode exactly. load_state() takes what save_state() of
  // the same env type and model wrote; it throws UserError on data that does not fit.
  virtual std::string save_state() const {
    throw std::logic_error(spec().name + " does not support saving its state");
  }
  virtual void load_state(const std::string& bytes, const std::string& source) {
    throw std::logic_error(spec().name + " does not support loading its state");
  }
};

}  // namespace sinew
