#include "sinew/serve/run_views.h"

#include "sinew/core/checkpoint.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {
namespace fs = std::filesystem;

nlohmann::json config_view(const Config& config) {
  return yaml_to_json(config.with_secrets_redacted().root());
}

nlohmann::json checkpoints_view(const fs::path& checkpoints_dir) {
  nlohmann::json list = nlohmann::json::array();
  if (!fs::is_directory(checkpoints_dir)) return list;
  for (const auto& dir : list_checkpoints(checkpoints_dir)) {
    try {
      auto m = read_manifest(dir, /*verify=*/false);
      int64_t bytes = 0;
      for (const auto& f : m.at("files")) bytes += f.at("size").get<int64_t>();
      list.push_back({{"path", dir.string()},
                      {"step", m.value("step", int64_t{0})},
                      {"reason", m.value("reason", std::string())},
                      {"created", m.value("created", std::string())},
                      {"bytes", bytes}});
    } catch (const std::exception&) {
      // a checkpoint being pruned or unreadable is left out of the list
    }
  }
  return list;
}

nlohmann::json metrics_view(const std::vector<MetricsBus::Row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) {
    out.push_back(
        {{"step", r.step}, {"wall_time_s", r.wall_time_s}, {"name", r.name}, {"value", r.value}});
  }
  return out;
}

fs::path episode_file(const fs::path& run_dir) { return run_dir / "episodes" / "latest.json"; }

}  // namespace sinew
