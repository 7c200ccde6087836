// The gait viewer's drawing of any MuJoCo env (MujocoEnv::trace_recorder): its SagittalView.
#pragma once

#include "sinew/env/trace_recorder.h"
#include "sinew/sim/sagittal_view.h"

namespace sinew {

class MujocoEnv;

class SagittalTraceRecorder : public TraceRecorder {
 public:
  // Reads `env`, which must outlive the recorder.
  explicit SagittalTraceRecorder(const MujocoEnv& env);

  nlohmann::json skeleton() const override;
  void record(std::vector<double>* points, std::vector<double>* ground_forces,
              double* center_x) const override;

 protected:
  const MujocoEnv& env_;

 private:
  SagittalView view_;
};

}  // namespace sinew
