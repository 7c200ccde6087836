// What the gait viewer draws of an env (`sinew play --out walk.html`, the dashboard): a skeleton
// in the sagittal plane, its ground contacts, and a summary the env adds from its motion
// channels. An env that can be drawn returns one from Env::trace_recorder(); the recorder reads
// the env's state each time it records, so the env must outlive it. Coordinates in metres,
// forces in newtons.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sinew {

class TraceRecorder {
 public:
  virtual ~TraceRecorder() = default;

  // The figure: {"points": [names], "radii": [m], "segments": [[a, b]], "left": [indices]}.
  virtual nlohmann::json skeleton() const = 0;

  // The drawing now: (x, z) of every skeleton point into `points`, (px, pz, fx, fz) of every
  // ground contact into `ground_forces` (both cleared first), and the x the view follows.
  virtual void record(std::vector<double>* points, std::vector<double>* ground_forces,
                      double* center_x) const = 0;

  // A section the env adds once the episode is recorded, from its motion channels (`labels`,
  // one row per frame, `dt_s` apart): an object whose members join the trace, e.g. the gait
  // env's {"gait": {heel strikes, normative bands}}; null when there is none.
  virtual nlohmann::json summary(const std::vector<std::string>& labels,
                                 const std::vector<std::vector<double>>& rows, double dt_s) const {
    return nullptr;
  }
};

}  // namespace sinew
