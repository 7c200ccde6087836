// The read-only views of a run that the dashboard shows, built the same way for a live run
// (`sinew train`) and for finished runs read from their folders (`sinew dashboard`).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/core/metrics_bus.h"

namespace sinew {

// The resolved config as JSON with serve.token redacted.
nlohmann::json config_view(const Config& config);

// [{path, step, reason, created, bytes}] of the checkpoints under `checkpoints_dir`, oldest
// first; unreadable ones (being pruned) are left out.
nlohmann::json checkpoints_view(const std::filesystem::path& checkpoints_dir);

// [{step, wall_time_s, name, value}].
nlohmann::json metrics_view(const std::vector<MetricsBus::Row>& rows);

// Where a run keeps its latest evaluation episode (episode_trace.h).
std::filesystem::path episode_file(const std::filesystem::path& run_dir);

}  // namespace sinew
