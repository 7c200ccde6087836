#include "sinew/sim/gait/gait_trace_recorder.h"

#include "sinew/sim/gait/gait_cycle_analysis.h"
#include "sinew/sim/gait/gait_env.h"

namespace sinew {
namespace {

int label_index(const std::vector<std::string>& labels, const std::string& name) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == name) return static_cast<int>(i);
  }
  return -1;
}

// Heel strikes of the right leg and the normative bands, for the joint-curve plots.
nlohmann::json gait_section(const GaitEnv& gait, const std::vector<std::string>& labels,
                            const std::vector<std::vector<double>>& rows, double dt_s) {
  const int hip = label_index(labels, "hip_flexion_r"), knee = label_index(labels, "knee_angle_r"),
            ankle = label_index(labels, "ankle_angle_r"), grf = label_index(labels, "grf_r");
  if (hip < 0 || knee < 0 || ankle < 0 || grf < 0) return nullptr;
  GaitCycleAnalysis cycles;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    cycles.add(i * dt_s, rows[i][hip], -rows[i][knee], rows[i][ankle],
               rows[i][grf] / gait.body_weight_N());
  }
  nlohmann::json g;
  g["heel_strikes_r"] = cycles.heel_strikes();
  g["joints"] = {{"hip", {{"label", "hip_flexion_r"}, {"sign", 1}}},
                 {"knee", {{"label", "knee_angle_r"}, {"sign", -1}}},
                 {"ankle", {{"label", "ankle_angle_r"}, {"sign", 1}}}};
  if (const NormativeGait* n = gait.normative()) {
    const char* names[] = {"hip", "knee", "ankle"};
    for (int k = 0; k < 3; ++k) {
      g["normative"][names[k]] = {{"min", n->min[k]}, {"mean", n->mean[k]}, {"max", n->max[k]}};
    }
  }
  return g;
}

}  // namespace

GaitTraceRecorder::GaitTraceRecorder(const GaitEnv& env) : SagittalTraceRecorder(env), gait_(env) {}

nlohmann::json GaitTraceRecorder::summary(const std::vector<std::string>& labels,
                                          const std::vector<std::vector<double>>& rows,
                                          double dt_s) const {
  auto g = gait_section(gait_, labels, rows, dt_s);
  if (g.is_null()) return nullptr;
  return {{"gait", std::move(g)}};
}

}  // namespace sinew
