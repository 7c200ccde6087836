// The environment interface: plain C++ over float spans, no physics engine and no neural-network
// library, so any world can be an env: a MuJoCo simulation (sim/), or a live world that does not
// wait (a game client over OSC, a camera). The env factory chooses one by env.name.
//
// An Env is owned and stepped by one thread at a time. Observations and actions are written
// straight into caller-provided rows of preallocated batches (zero copy).
//
// Lifecycle: reset() and step() while the run acts; pause() when the run parks (a checkpoint, a
// pause from the control API), then resume() before the next step(); close() once when the run
// stops. A simulation needs none of the three; a world with actuators sends its neutral action
// on pause() and close(), since a pause or a stop can last as long as the user likes.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sinew/env/trace_recorder.h"

namespace sinew {

// What an environment looks like from outside. Declared once per env type.

// What the values of an observation part are.
enum class ObsType {
  kFloat32,  // real values (angles, velocities, forces)
  kUint8,    // whole numbers 0..255 (pixels), carried in the float observation
};

// A named part of the flat observation: values [offset, offset + size), e.g. one joint's
// angle ("qpos/elbow") or a camera image ("image", uint8, shape {3, 84, 84}). A model of the
// agent reads the parts it names (agent_spec.h).
struct ObsPart {
  std::string name;
  int offset = 0;
  int size = 0;
  ObsType type = ObsType::kFloat32;
  std::vector<int> shape;  // e.g. {3, 84, 84}; its product is size. Empty: {size}
  // How networks see it: with scale > 0 a fixed (x - center) / scale; with scale 0 the running
  // mean and variance of each value. A uint8 part without a scale of its own gets center 127.5
  // and scale 127.5 ([-1, 1]): an image is not run through a per-pixel running normalizer.
  double center = 0;
  double scale = 0;

  bool fixed_normalization() const { return scale > 0 || type == ObsType::kUint8; }
  double normalization_center() const { return scale > 0 ? center : 127.5; }
  double normalization_scale() const { return scale > 0 ? scale : 127.5; }
  std::vector<int> part_shape() const { return shape.empty() ? std::vector<int>{size} : shape; }
};

struct EnvSpec {
  std::string name;
  int obs_dim = 0;
  // The observation's shape, e.g. {3, 64, 64} for an image; its product is obs_dim. Empty: a flat
  // vector of obs_dim values.
  std::vector<int> obs_shape;
  // The observation's named parts, in order, covering it; empty: one part "obs" (all of it).
  std::vector<ObsPart> obs_parts;
  int action_dim = 0;                     // continuous: vector length; discrete: 1 (the index)
  int num_actions = 0;                    // > 0: discrete with this many choices; 0: continuous
  std::vector<float> action_low;          // (action_dim) continuous bounds; actions are clipped
  std::vector<float> action_high;         // (action_dim)
  std::vector<std::string> action_names;  // (action_dim) e.g. muscle or actuator names
  double control_dt_s = 0;                // simulated time per step() [s]
  int max_episode_steps = 0;              // time limit: the step that reaches it returns truncated
  std::vector<std::string> episode_metric_names;  // keys episode_metrics() fills

  bool is_discrete() const { return num_actions > 0; }
  // obs_shape, or {obs_dim} for a flat observation.
  std::vector<int> observation_shape() const {
    return obs_shape.empty() ? std::vector<int>{obs_dim} : obs_shape;
  }
  // obs_parts, or the whole observation as one part "obs".
  std::vector<ObsPart> observation_parts() const {
    return obs_parts.empty() ? std::vector<ObsPart>{{"obs", 0, obs_dim}} : obs_parts;
  }
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

  // Sensors beside the observation, by name (see sensor_names.h): fills `out` with the
  // sensor's values now and returns true, or returns false when the env has no such sensor.
  // Exploration that reads the body (DEP reads muscle lengths and forces) uses them.
  virtual bool read_sensor(std::string_view name, std::vector<double>* out) const { return false; }

  // The run parked (a pause or a checkpoint): no step() until resume(). A world that does not
  // wait sends its neutral action here.
  virtual void pause() {}
  // The run continues after pause(); the next call is step() or reset().
  virtual void resume() {}
  // The run stops: release devices and connections; nothing is called after this but the
  // destructor. A world with actuators sends its neutral action first.
  virtual void close() {}

  // What `sinew play` and the gait viewer draw of this env, or null when it cannot be drawn.
  // The recorder reads the env's state as it is stepped (trace_recorder.h).
  virtual std::unique_ptr<TraceRecorder> trace_recorder() const { return nullptr; }

  // Simulations that diverged and were reset since construction.
  virtual int64_t divergences() const { return 0; }

  // Whether save_state() keeps this env's mid-episode state. A world with nothing to save (a
  // live game, a camera) says no: its checkpoints skip it, and a resumed run starts it on a
  // fresh episode.
  virtual bool saves_state() const { return false; }
  // The whole mid-episode state (simulation, episode statistics, random stream) as bytes, so
  // a resumed run continues the same episode exactly. load_state() takes what save_state() of
  // the same env type and model wrote; it throws UserError on data that does not fit. Called
  // only when saves_state().
  virtual std::string save_state() const {
    throw std::logic_error(spec().name + " does not support saving its state");
  }
  virtual void load_state(const std::string& bytes, const std::string& source) {
    throw std::logic_error(spec().name + " does not support loading its state");
  }
};

}  // namespace sinew
