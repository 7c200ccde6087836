// `sinew exo-optimize`: tunes a device's assistance profile for a trained walker
// (runtime/exo_profile_search.h) and prints the result; `sinew exo-study`: the walker with and
// without the device, as a report (runtime/exo_study.h).
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "sinew/cli/commands.h"
#include "sinew/cli/config_sources.h"
#include "sinew/core/errors.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/core/text_file.h"
#include "sinew/core/utc_time.h"
#include "sinew/runtime/exo_profile_search.h"
#include "sinew/runtime/exo_study.h"
#include "sinew/runtime/find_checkpoint.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// <prefix>_<device>_<local date_time>
std::string default_folder(const std::vector<std::string>& overrides,
                           const std::string& prefix = "exo") {
  std::string device = "device";
  for (const auto& o : overrides) {
    if (o.rfind("exo=", 0) == 0) device = o.substr(4);
  }
  return fmt::format("{}_{}_{}", prefix, device, local_date_time_now());
}

}  // namespace

int command_exo_optimize(const ExoOptimizeArgs& a) {
  std::string checkpoint = a.checkpoint;
  std::vector<std::string> overrides = a.overrides;
  ExoSearchOptions options = a.options;
  fs::path folder = a.out;
  if (a.resume) {
    if (folder.empty()) throw UserError("--resume needs --out <folder of the search>");
    const fs::path described = folder / "search.json";
    if (!fs::is_regular_file(described)) {
      throw UserError(fmt::format("{}: no search to resume", described.string()));
    }
    nlohmann::json saved;
    try {
      saved = nlohmann::json::parse(read_text_file(described));
      checkpoint = saved.at("checkpoint").get<std::string>();
      overrides = saved.at("overrides").get<std::vector<std::string>>();
    } catch (const nlohmann::json::exception& e) {
      throw UserError(fmt::format("{}: unreadable ({})", described.string(), e.what()));
    }
    const int generations = options.generations;
    const int threads = options.threads;
    options =
        ExoSearchOptions::from_json(saved.value("options", nlohmann::json()), described.string());
    if (a.generations_given) options.generations = generations;
    options.threads = threads;
  } else {
    if (checkpoint.empty())
      throw UserError("exo-optimize needs a checkpoint, run or policy folder");
    if (folder.empty()) folder = default_folder(overrides);
  }
  const auto [dir, manifest] = find_checkpoint(checkpoint);
  auto load = [dir = dir, manifest = manifest, overrides]() {
    LoadedPolicy policy = load_policy(dir, manifest);
    policy.config = worn_config(policy.config, overrides);
    return policy;
  };
  SignalWaiter signals;
  ExoProfileSearch search(load, {{"checkpoint", dir.string()}, {"overrides", overrides}}, folder,
                          options, a.resume);
  std::fprintf(stderr,
               "exo-optimize: %s in %s: %d generations of %d candidates, %d episodes each, on %d "
               "threads (Ctrl-C stops after a generation; --resume --out %s continues)\n",
               dir.string().c_str(), folder.string().c_str(), options.generations,
               options.population, options.episodes, options.threads, folder.string().c_str());
  bool stopped = false;
  const nlohmann::json result = search.run(
      [&] {
        if (signals.wait(0) != 0) stopped = true;
        return stopped;
      },
      [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); });
  if (a.json) {
    std::printf("%s\n", result.dump().c_str());
  } else if (result.contains("best")) {
    const auto& best = result["best"]["profile"];
    const std::string ratio = result["energy_ratio"].is_number()
                                  ? fmt::format("{:.2f}", result["energy_ratio"].get<double>())
                                  : "none (under 1 J per stride)";
    std::printf(
        "best profile: %.1f N m at %.1f %% of the stride, rise %.1f %%, fall %.1f %%\n"
        "metabolic change %+.1f %% (cost of transport %.3f -> %.3f J/(kg m)), velocity %.2f -> "
        "%.2f m/s, device positive work %.1f J per stride, energy ratio %s\n"
        "written: %s\n",
        best["peak_torque"].get<double>(), 100 * best["peak_time"].get<double>(),
        100 * best["rise_time"].get<double>(), 100 * best["fall_time"].get<double>(),
        100 * result["metabolic_change"].get<double>(),
        result["cost_of_transport"]["without"].get<double>(),
        result["cost_of_transport"]["with"].get<double>(),
        result["velocity"]["without"].get<double>(), result["velocity"]["with"].get<double>(),
        result["device_positive_work_j_per_stride"].get<double>(), ratio.c_str(),
        (folder / "result.json").string().c_str());
  }
  if (stopped)
    std::fprintf(stderr, "stopped; --resume --out %s continues\n", folder.string().c_str());
  return 0;
}

int command_exo_study(const ExoStudyArgs& a) {
  if (a.checkpoint.empty()) throw UserError("exo-study needs a checkpoint, run or policy folder");
  std::vector<std::string> overrides = a.overrides;
  if (!a.from_search.empty()) {
    // a search's best profile, after the command line's device choice
    fs::path result = a.from_search;
    if (fs::is_directory(result)) result /= "result.json";
    try {
      const auto j = nlohmann::json::parse(read_text_file(result));
      for (const auto& o : j.at("best_overrides")) overrides.push_back(o.get<std::string>());
      if (j.contains("device") && j["device"].is_string()) {
        bool chosen = false;
        for (const auto& o : a.overrides) chosen |= o.rfind("exo=", 0) == 0;
        if (!chosen) overrides.insert(overrides.begin(), "exo=" + j["device"].get<std::string>());
      }
    } catch (const nlohmann::json::exception& e) {
      throw UserError(
          fmt::format("--from-search {}: not a search's result ({})", result.string(), e.what()));
    }
  }
  const auto [dir, manifest] = find_checkpoint(a.checkpoint);
  LoadedPolicy policy = load_policy(dir, manifest);
  policy.config = worn_config(policy.config, overrides);
  const fs::path folder =
      a.out.empty() ? fs::path(default_folder(overrides, "exo_study")) : fs::path(a.out);
  ExoStudyOptions options;
  options.episodes = a.episodes;
  options.seed = a.seed;
  std::fprintf(stderr, "exo-study: %s, %d episodes with and without the device, into %s\n",
               dir.string().c_str(), options.episodes, folder.string().c_str());
  const nlohmann::json report = run_exo_study(policy, options, folder);
  if (a.json) {
    std::printf("%s\n", report.dump().c_str());
    return 0;
  }
  const std::string ratio = report["energy_ratio"].is_number()
                                ? fmt::format("{:.2f}", report["energy_ratio"].get<double>())
                                : "none (under 1 J per stride)";
  std::printf(
      "metabolic change %+.1f %% (cost of transport %.3f -> %.3f J/(kg m)), velocity %.2f -> "
      "%.2f m/s, device positive work %.1f J per stride, energy ratio %s\n"
      "written: %s (open study.html in a browser), study.json, with.sto, without.sto\n",
      100 * report["metabolic_change"].get<double>(),
      report["cost_of_transport"]["without"].get<double>(),
      report["cost_of_transport"]["with"].get<double>(),
      report["velocity"]["without"].get<double>(), report["velocity"]["with"].get<double>(),
      report["device_positive_work_j_per_stride"].get<double>(), ratio.c_str(),
      folder.string().c_str());
  return 0;
}

}  // namespace sinew
