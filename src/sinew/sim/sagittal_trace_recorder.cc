#include "sinew/sim/sagittal_trace_recorder.h"

#include "sinew/sim/mujoco_env.h"

namespace sinew {

SagittalTraceRecorder::SagittalTraceRecorder(const MujocoEnv& env)
    : env_(env), view_(env.model()) {}

nlohmann::json SagittalTraceRecorder::skeleton() const {
  nlohmann::json segments = nlohmann::json::array();
  for (const auto& s : view_.segments()) segments.push_back({s[0], s[1]});
  return {{"points", view_.point_names()},
          {"radii", view_.radii()},
          {"segments", segments},
          {"left", view_.left()}};
}

void SagittalTraceRecorder::record(std::vector<double>* points, std::vector<double>* ground_forces,
                                   double* center_x) const {
  points->clear();
  view_.points(env_.data(), points);
  ground_forces->clear();
  view_.ground_forces(env_.data(), ground_forces);
  *center_x = view_.center_x(env_.data());
}

}  // namespace sinew
