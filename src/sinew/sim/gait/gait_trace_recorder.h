// The gait env's drawing: the sagittal skeleton plus, once an episode is recorded, the right
// leg's heel strikes and the normative joint-angle bands for the viewer's joint-curve plots.
#pragma once

#include "sinew/sim/sagittal_trace_recorder.h"

namespace sinew {

class GaitEnv;

class GaitTraceRecorder final : public SagittalTraceRecorder {
 public:
  // Reads `env`, which must outlive the recorder.
  explicit GaitTraceRecorder(const GaitEnv& env);

  nlohmann::json summary(const std::vector<std::string>& labels,
                         const std::vector<std::vector<double>>& rows, double dt_s) const override;

 private:
  const GaitEnv& gait_;
};

}  // namespace sinew
