// Tunes an exoskeleton's assistance profile for a trained walker, the way human-in-the-loop
// studies tune it on people (Zhang 2017): CMA-ES (core/cma_es.h) over exo.profile.{peak_torque,
// peak_time, rise_time, fall_time}, each candidate scored over the same episodes (the same
// seeds for every candidate, as `sinew eval` runs them) by the person's cost of transport, plus
// a penalty for walking at another speed than without the device and for falling. The walker's
// policy stays as trained: the human does not re-adapt between generations (that needs
// training and is not part of this search).
//
// Each parameter is searched in [0, 1]: peak torque over [0, exo.max_torque], peak time over
// [0, 1) of the stride, rise time over [0.02, 0.6], fall time over [0.02, 0.4]; a candidate
// outside is scored at the nearest point inside plus a penalty for the distance. The search
// starts at the device file's profile.
//
// Before the first generation it scores the walker without the device and with it worn at zero
// torque (the cost of carrying it). Files in its folder:
//   search.json    what was searched (checkpoint, overrides, options): `--resume` reads it
//   search.state   the CMA-ES state and the scores so far, replaced atomically each generation
//   history.csv    one row per candidate
//   result.json    baseline, zero-torque device, best profile, metabolic change (fraction,
//                  negative = saving), cost of transport with and without, velocity, device
//                  work per stride, energy ratio (metabolic saving / positive device work,
//                  both per metre; null when the device does under 1 J per stride)
// Candidates of a generation run on `threads` threads, each with its own copy of the policy.
#pragma once

#include <array>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sinew/core/cma_es.h"
#include "sinew/runtime/agent_factory.h"

namespace sinew {

struct ExoSearchOptions {
  int generations = 20;
  int population = 8;  // candidates per generation
  int episodes = 4;    // per candidate (seeds seed, seed + 1, ...)
  uint64_t seed = 12345;
  int threads = 2;
  double sigma = 0.2;             // initial step size in the [0, 1] parameter space
  double speed_tolerance = 0.05;  // relative speed difference free of penalty
  double speed_penalty = 20.0;    // J/(kg m) per unit of relative speed difference beyond it

  nlohmann::json to_json() const;
  // Throws UserError naming the field for a value out of range.
  static ExoSearchOptions from_json(const nlohmann::json& json, const std::string& source);
};

// One scored profile (or the baseline, or the zero-torque device).
struct ExoScore {
  std::array<double, 4> profile{};  // peak_torque [N m], peak_time, rise_time, fall_time
  double score = 0;                 // what CMA-ES minimizes
  double cost_of_transport = 0;     // J/(kg m), the person's
  double velocity = 0;              // m/s
  double fall_rate = 0;
  double distance = 0;                  // m per episode
  double positive_work = 0;             // J per episode, both legs
  double positive_work_per_stride = 0;  // J
  double negative_work = 0;             // J per episode
  double person_mass_kg = 0;            // the body without the device (0 without one)
  std::array<double, 3> similarity{};   // hip, knee, ankle
  nlohmann::json to_json() const;
};

class ExoProfileSearch {
 public:
  // `load` gives a policy whose config wears the device (exo=...); it is called once per
  // thread. `description` (the checkpoint and overrides, as search.json records them) is
  // written into `folder`. With `resume`, the folder's search.state is continued (its options
  // must match but for `generations`). Throws UserError when the policy's env is not the gait
  // env or wears no device, or the folder holds another search.
  ExoProfileSearch(std::function<LoadedPolicy()> load, nlohmann::json description,
                   std::filesystem::path folder, ExoSearchOptions options, bool resume);

  // Runs the generations left. `stop` is asked between generations (a stop still saves);
  // `progress` gets one line per generation. Returns result.json's content (also written).
  nlohmann::json run(const std::function<bool()>& stop,
                     const std::function<void(const std::string&)>& progress);

  // The profile at point `u` of the search space (clamped into [0, 1]).
  std::array<double, 4> profile_at(const std::vector<double>& u) const;

 private:
  std::vector<ExoScore> score_all(const std::vector<std::vector<std::string>>& overrides);
  // `scored` with the penalties for leaving [0, 1]^4 at `u`, for speed and for falls
  double penalized(const std::vector<double>& u, const ExoScore& scored) const;
  std::vector<std::string> profile_overrides(const std::array<double, 4>& profile) const;
  void save_state() const;
  bool load_state();
  nlohmann::json result() const;

  std::vector<LoadedPolicy> policies_;  // one per thread
  std::mutex model_loading_;            // MuJoCo's XML loader runs one model at a time
  nlohmann::json description_;
  std::filesystem::path folder_;
  ExoSearchOptions options_;
  double max_torque_Nm_ = 0;
  std::string device_;
  std::vector<double> start_;  // the device file's profile in [0, 1]^4
  std::unique_ptr<CmaEs> cma_;
  ExoScore baseline_, zero_, best_;
  bool has_best_ = false;
};

}  // namespace sinew
