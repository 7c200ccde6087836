// `sinew models push|pull|list|show|rm|gc|serve`: the versioned model store (store/model_store.h)
// from the command line, with the metadata sinew knows about what is pushed.
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>

#include "sinew/cli/commands.h"
#include "sinew/core/config.h"
#include "sinew/core/errors.h"
#include "sinew/core/signal_waiter.h"
#include "sinew/core/text_file.h"
#include "sinew/runtime/find_checkpoint.h"
#include "sinew/runtime/policy_export.h"
#include "sinew/runtime/policy_file_check.h"
#include "sinew/sim/env_factory.h"
#include "sinew/store/local_model_store.h"
#include "sinew/store/model_store.h"
#include "sinew/store/store_location.h"
#include "sinew/store/store_server.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// The last value of each evaluation-like metric at or before `step` in a run's metrics.csv.
nlohmann::json run_metrics(const fs::path& run_dir, int64_t step) {
  nlohmann::json out = nlohmann::json::object();
  std::ifstream in(run_dir / "metrics.csv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    const auto c1 = line.find(','), c2 = line.find(',', c1 + 1), c3 = line.find(',', c2 + 1);
    if (c3 == std::string::npos) continue;
    const std::string name = line.substr(c2 + 1, c3 - c2 - 1);
    const bool wanted = name.rfind("env/", 0) == 0 || name.rfind("gait_similarity/", 0) == 0 ||
                        name == "rollout/return" || name == "rollout/length";
    if (!wanted) continue;
    try {
      if (std::stoll(line.substr(0, c1)) > step) continue;
      out[name] = std::stod(line.substr(c3 + 1));
    } catch (const std::exception&) {
      continue;  // a torn last line
    }
  }
  return out;
}

nlohmann::json checkpoint_metadata(const fs::path& dir, const nlohmann::json& manifest) {
  Config config =
      Config::from_yaml(read_text_file(dir / "config.yaml"), (dir / "config.yaml").string());
  EnvFactory envs(config);
  const int64_t step = manifest.value("step", int64_t{0});
  nlohmann::json meta = {{"kind", "checkpoint"},
                         {"env", envs.spec().name},
                         {"spec_hash", spec_hash(envs.spec())},
                         {"algorithm", config.get_string("algo.name")},
                         {"experiment", config.get_string("experiment")},
                         {"config_hash", manifest.value("config_hash", "")},
                         {"step", step},
                         {"source", fs::absolute(dir).lexically_normal().string()}};
  if (manifest.contains("parent")) meta["parent"] = manifest["parent"];
  // checkpoints/step_N/ inside a run folder
  const fs::path run_dir = dir.parent_path().parent_path();
  if (fs::is_regular_file(run_dir / "metrics.csv")) meta["metrics"] = run_metrics(run_dir, step);
  return meta;
}

struct Artifact {
  fs::path path;  // what is pushed: a folder or one file
  nlohmann::json metadata;
  std::optional<fs::path> staging;  // a temporary folder to remove afterwards
};

// A checkpoint or run folder, an exported policy (with its sidecar, checked against it), or,
// with `allow_unverified`, any other file.
Artifact artifact_of(const fs::path& given, bool allow_unverified) {
  if (fs::is_directory(given)) {
    auto [dir, manifest] = find_checkpoint(given);
    return {dir, checkpoint_metadata(dir, manifest), std::nullopt};
  }
  if (!fs::is_regular_file(given)) {
    throw UserError(fmt::format("{}: no such file or folder", given.string()));
  }
  const std::string bytes = read_text_file(given);
  const PolicyFileCheck check = check_policy_file(given, bytes, allow_unverified, "--unverified");
  if (!check.sidecar) {
    return {given,
            {{"kind", "file"}, {"source", fs::absolute(given).string()}, {"unverified", true}},
            std::nullopt};
  }
  const nlohmann::json& side = check.sidecar_json;
  // the policy (the bytes just verified) and its sidecar travel together, as one version, from
  // a temporary folder (those of killed pushes are removed here)
  remove_abandoned(fs::temp_directory_path(), {"sinew_push"});
  const fs::path staging = fs::temp_directory_path() / unique_hidden_name("sinew_push");
  fs::create_directories(staging);
  write_file(staging / given.filename(), bytes);
  write_file(staging / check.sidecar->filename(), side.dump(2) + "\n");
  const nlohmann::json env =
      side.contains("env") && side["env"].is_object() ? side["env"] : nlohmann::json::object();
  const nlohmann::json source = side.contains("source") && side["source"].is_object()
                                    ? side["source"]
                                    : nlohmann::json::object();
  nlohmann::json meta = {{"kind", "exported policy"},
                         {"env", env.value("name", "")},
                         {"algorithm", side.value("algorithm", "")},
                         {"config_hash", side.value("config_hash", "")},
                         {"step", source.value("step", int64_t{0})},
                         {"source", fs::absolute(given).string()}};
  if (side.contains("spec_hash")) meta["spec_hash"] = side["spec_hash"];
  if (side.contains("parent")) meta["parent"] = side["parent"];
  return {staging, meta, staging};
}

void print_version(const ModelVersion& v) {
  std::printf("%s  created %s  %zu files, %llu bytes", v.ref().c_str(), v.created.c_str(),
              v.files.size(), static_cast<unsigned long long>(v.total_bytes()));
  if (!v.tags.empty()) {
    std::string tags;
    for (const auto& t : v.tags) tags += (tags.empty() ? "" : ", ") + t;
    std::printf("  tags: %s", tags.c_str());
  }
  std::printf("\n");
}

}  // namespace

int command_models(const ModelsArgs& a) {
  if (a.action == "serve" || a.action == "gc") {
    const fs::path root = store_location(a.store);
    if (root.string().rfind("http://", 0) == 0 || root.string().rfind("https://", 0) == 0) {
      throw UserError(fmt::format("--store {}: {} needs a folder, not a URL{}", root.string(),
                                  a.action,
                                  a.action == "gc" ? " (run it where the store's folder is; a "
                                                     "served store also cleans up at each push)"
                                                   : ""));
    }
  }
  if (a.action == "gc") {
    const fs::path root = store_location(a.store);
    if (!fs::is_directory(root)) {
      throw UserError(fmt::format("--store {}: no such folder", root.string()));
    }
    const auto done = LocalModelStore(root).collect_garbage();
    for (const auto& line : done) std::printf("%s\n", line.c_str());
    std::printf("%s\n", done.empty() ? fmt::format("nothing to clean in {}", root.string()).c_str()
                                     : fmt::format("{} cleaned", root.string()).c_str());
    return 0;
  }
  if (a.action == "serve") {
    const fs::path root = store_location(a.store);
    SignalWaiter signals;
    StoreServer server(a.host, a.port, store_token(a.token), root, StoreServer::Options{});
    std::fprintf(stderr, "serving the model store %s at %s (Ctrl-C stops)\n",
                 fs::absolute(root).string().c_str(), server.url().c_str());
    while (signals.wait(1.0) == 0) {
    }
    return 0;
  }
  auto store = open_model_store(store_location(a.store), store_token(a.token), model_cache_dir());
  if (a.action == "push") {
    Artifact artifact = artifact_of(a.what, a.unverified);
    ModelRef ref = ModelRef::parse(a.name);
    if (ref.kind == ModelRef::Kind::kVersion) {
      throw UserError(
          fmt::format("{}: versions are numbered by the store; push to a name or "
                      "name:tag",
                      a.name));
    }
    std::optional<std::string> tag;
    if (ref.kind == ModelRef::Kind::kTag) tag = ref.tag;
    ModelVersion v;
    try {
      v = store->push(artifact.path, ref.name, tag, artifact.metadata);
    } catch (...) {
      if (artifact.staging) fs::remove_all(*artifact.staging);
      throw;
    }
    if (artifact.staging) fs::remove_all(*artifact.staging);
    std::printf("pushed %s as ", a.what.c_str());
    print_version(v);
    return 0;
  }
  if (a.action == "pull") {
    fs::path out = store->pull(ModelRef::parse(a.what), a.name);
    std::printf("pulled %s into %s\n", a.what.c_str(), out.string().c_str());
    return 0;
  }
  if (a.action == "list") {
    std::optional<std::string> name;
    if (!a.what.empty()) name = a.what;
    auto versions = store->list(name);
    if (a.json) {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& v : versions) j.push_back(to_json(v));
      std::printf("%s\n", j.dump().c_str());
      return 0;
    }
    if (versions.empty()) std::printf("no models in %s\n", store_location(a.store).c_str());
    for (const auto& v : versions) {
      std::string line =
          v.metadata.is_object()
              ? fmt::format("{} {} step {}", v.metadata.value("env", ""),
                            v.metadata.value("algorithm", ""), v.metadata.value("step", int64_t{0}))
              : "";
      std::printf("%-24s %-20s %s%s\n", v.ref().c_str(), v.created.c_str(), line.c_str(),
                  v.problem.empty() ? "" : ("  DAMAGED: " + v.problem).c_str());
    }
    return 0;
  }
  if (a.action == "show") {
    ModelVersion v = store->show(ModelRef::parse(a.what));
    std::printf("%s\n", to_json(v).dump(2).c_str());
    return 0;
  }
  if (a.action == "rm") {
    ModelRef ref = ModelRef::parse(a.what);
    int64_t removed = store->remove(ref);
    std::printf("removed %s:%lld\n", ref.name.c_str(), static_cast<long long>(removed));
    return 0;
  }
  throw UserError(fmt::format("unknown models action '{}'", a.action));
}

}  // namespace sinew
