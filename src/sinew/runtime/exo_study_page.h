// The exo-study report (exo_study.h) as one self-contained HTML page: the numbers as a table,
// the mean gait cycle as inline SVG plots (joint angles with and without the device over the
// normative bands, the device's torque and power). No script, no network.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sinew {

std::string exo_study_html(const nlohmann::json& report);

}  // namespace sinew
