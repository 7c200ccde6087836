// `sinew dashboard <runs-dir>`: the dashboard over run folders, read from their files.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "sinew/cli/commands.h"
#include "sinew/core/config.h"
#include "sinew/core/errors.h"
#include "sinew/core/metrics_bus.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/core/text_file.h"
#include "sinew/core/yaml_scalar.h"
#include "sinew/serve/control_server.h"
#include "sinew/serve/run_views.h"
#include "sinew/store/model_store.h"
#include "sinew/store/store_location.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

using Reply = std::pair<int, nlohmann::json>;

// Run folders (those with a metrics.csv) up to three levels below `root`, by id (the relative
// path). Only these ids are ever turned into paths: a request cannot name another file.
std::map<std::string, fs::path> scan_runs(const fs::path& root) {
  std::map<std::string, fs::path> runs;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it.depth() > 2) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory() && fs::is_regular_file(it->path() / "metrics.csv")) {
      runs[it->path().lexically_relative(root).generic_string()] = it->path();
      it.disable_recursion_pending();
    }
  }
  return runs;
}

// The step of the last row of a metrics.csv (0 when it has none), read from the file's end
// rather than loading every row.
int64_t last_step(const fs::path& csv) {
  std::ifstream in(csv, std::ios::binary | std::ios::ate);
  const std::streamoff size = in.tellg();
  if (size <= 0) return 0;
  const std::streamoff from = std::max<std::streamoff>(0, size - 4096);
  std::string tail(static_cast<std::size_t>(size - from), '\0');
  in.seekg(from);
  in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
  while (!tail.empty() && tail.back() == '\n') tail.pop_back();
  const std::string line = tail.substr(tail.rfind('\n') + 1);
  auto step = parse_int(line.substr(0, line.find(',')));
  return step.value_or(0);
}

// The store's versions for the dashboard: {"location", "versions": [{ref, created, tags, kind,
// env, algorithm, step, metrics, problem}], "error"} (an unreachable store is shown, not fatal).
nlohmann::json models_view(const std::string& location) {
  nlohmann::json out = {{"location", location}, {"versions", nlohmann::json::array()}};
  try {
    auto models = open_model_store(location, store_token(""), model_cache_dir());
    for (const ModelVersion& v : models->list(std::nullopt)) {
      const nlohmann::json& m = v.metadata.is_object() ? v.metadata : nlohmann::json::object();
      out["versions"].push_back({{"ref", v.ref()},
                                 {"created", v.created},
                                 {"tags", v.tags},
                                 {"kind", m.value("kind", "")},
                                 {"env", m.value("env", "")},
                                 {"algorithm", m.value("algorithm", "")},
                                 {"step", m.value("step", int64_t{0})},
                                 {"metrics", m.value("metrics", nlohmann::json::object())},
                                 {"problem", v.problem}});
    }
  } catch (const UserError& e) {
    out["error"] = e.what();
  }
  return out;
}

}  // namespace

int command_dashboard(const std::string& runs_dir, const std::string& host, int port,
                      const std::string& given_token, const std::string& store) {
  const char* env_token = std::getenv("SINEW_TOKEN");
  const std::string token = given_token.empty() && env_token ? env_token : given_token;
  const fs::path root(runs_dir);
  if (!fs::is_directory(root)) throw UserError(runs_dir + " is not a folder");
  auto find_run = [root](const QueryParams& q) -> std::optional<fs::path> {
    auto it = q.find("run");
    if (it == q.end()) return std::nullopt;
    auto runs = scan_runs(root);
    auto found = runs.find(it->second);
    if (found == runs.end()) return std::nullopt;
    return found->second;
  };
  const Reply no_run{404, {{"error", "no such run; see /api/runs"}}};

  ApiRoutes r;
  r.get["/api/status"] = [root](const QueryParams&) {
    return Reply{
        200,
        {{"mode", "dashboard"}, {"runs_dir", fs::absolute(root).string()}, {"state", "dashboard"}}};
  };
  r.get["/api/runs"] = [root](const QueryParams&) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [id, path] : scan_runs(root)) {
      list.push_back({{"id", id},
                      {"experiment", path.parent_path().filename().string()},
                      {"steps", last_step(path / "metrics.csv")},
                      {"has_episode", fs::is_regular_file(episode_file(path))}});
    }
    return Reply{200, list};
  };
  r.get["/api/models"] = [location = store_location(store)](const QueryParams&) {
    return Reply{200, models_view(location)};
  };
  r.get["/api/metrics"] = [find_run, no_run](const QueryParams& q) {
    auto run = find_run(q);
    if (!run) return no_run;
    MetricsBus history;
    history.load_history(*run / "metrics.csv");
    return Reply{200, metrics_view(history.history(query_int(q, "after").value_or(-1)))};
  };
  r.get["/api/config"] = [find_run, no_run](const QueryParams& q) {
    auto run = find_run(q);
    if (!run) return no_run;
    const fs::path file = *run / "config.yaml";
    return Reply{200, config_view(Config::from_yaml(read_text_file(file), file.string()))};
  };
  r.get["/api/checkpoints"] = [find_run, no_run](const QueryParams& q) {
    auto run = find_run(q);
    if (!run) return no_run;
    return Reply{200, checkpoints_view(*run / "checkpoints")};
  };
  r.get["/api/episode"] = [find_run, no_run](const QueryParams& q) {
    auto run = find_run(q);
    if (!run) return no_run;
    const fs::path file = episode_file(*run);
    if (!fs::is_regular_file(file)) return Reply{204, nullptr};  // none recorded
    return Reply{200, nlohmann::json::parse(read_text_file(file))};
  };

  SignalWaiter signals;
  ControlServer server(host, port, token, std::move(r));
  std::fprintf(stderr, "dashboard of %zu runs under %s at %s/%s (Ctrl-C to stop)\n",
               scan_runs(root).size(), runs_dir.c_str(), server.url().c_str(),
               token.empty() ? "" : "#token=<token>");
  while (signals.wait(1.0) == 0) {
  }
  return 0;
}

}  // namespace sinew
