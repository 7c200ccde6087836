#include "sinew/store/model_version.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "sinew/core/errors.h"
#include "sinew/store/model_ref.h"

namespace sinew {
namespace {

bool is_sha256_hex(const std::string& text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::uint64_t ModelVersion::total_bytes() const {
  std::uint64_t total = 0;
  for (const auto& f : files) total += f.size;
  return total;
}

nlohmann::json files_to_json(const std::vector<ModelFile>& files) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& f : files) {
    out.push_back({{"path", f.path}, {"size", f.size}, {"sha256", f.sha256}});
  }
  return out;
}

std::vector<ModelFile> files_from_json(const nlohmann::json& json, const std::string& what) {
  if (!json.is_array()) throw UserError(what + ": the file list must be a JSON array");
  std::vector<ModelFile> files;
  std::set<std::string> paths;
  for (const auto& entry : json) {
    ModelFile f;
    try {
      f.path = entry.at("path").get<std::string>();
      if (!entry.at("size").is_number_unsigned()) {
        throw UserError(
            fmt::format("{}: {} has size {}; a size is a whole number of bytes, 0 or more", what,
                        shortened(f.path), shortened(entry.at("size").dump())));
      }
      f.size = entry.at("size").get<std::uint64_t>();
      f.sha256 = entry.at("sha256").get<std::string>();
    } catch (const nlohmann::json::exception&) {
      throw UserError(what +
                      ": each file needs \"path\" (text), \"size\" (a number of bytes) "
                      "and \"sha256\" (text)");
    }
    try {
      check_model_file_path(f.path);
    } catch (const UserError& e) {
      throw UserError(what + ": " + e.what());
    }
    if (!is_sha256_hex(f.sha256)) {
      throw UserError(fmt::format("{}: {} has a malformed sha256 (64 lowercase hex digits)", what,
                                  shortened(f.path)));
    }
    if (!paths.insert(f.path).second) {
      throw UserError(fmt::format("{}: {} is listed twice", what, shortened(f.path)));
    }
    files.push_back(std::move(f));
  }
  // a path that is also a folder of another ("a" and "a/b") cannot be stored
  for (const auto& path : paths) {
    auto next = paths.upper_bound(path);
    if (next != paths.end() && next->rfind(path + "/", 0) == 0) {
      throw UserError(
          fmt::format("{}: {} is listed as a file and as a folder", what, shortened(path)));
    }
  }
  std::sort(files.begin(), files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.path < b.path; });
  return files;
}

nlohmann::json version_manifest_json(const ModelVersion& version) {
  return {{"format_version", kModelVersionFormat},
          {"name", version.name},
          {"version", version.version},
          {"created", version.created},
          {"metadata", version.metadata},
          {"files", files_to_json(version.files)}};
}

nlohmann::json to_json(const ModelVersion& version) {
  nlohmann::json out = version_manifest_json(version);
  out["tags"] = version.tags;
  out["manifest_sha256"] = version.manifest_sha256;
  if (!version.problem.empty()) out["problem"] = version.problem;
  return out;
}

ModelVersion model_version_from_json(const nlohmann::json& json, const std::string& what) {
  ModelVersion v;
  nlohmann::json files;
  try {
    const int format = json.at("format_version").get<int>();
    if (format > kModelVersionFormat) {
      throw UserError(fmt::format("{}: format {} is newer than this sinew reads ({})", what, format,
                                  kModelVersionFormat));
    }
    v.name = json.at("name").get<std::string>();
    v.version = json.at("version").get<int64_t>();
    v.created = json.at("created").get<std::string>();
    v.metadata = json.at("metadata");
    if (json.contains("tags")) v.tags = json.at("tags").get<std::vector<std::string>>();
    if (json.contains("manifest_sha256")) {
      v.manifest_sha256 = json.at("manifest_sha256").get<std::string>();
    }
    if (json.contains("problem")) v.problem = json.at("problem").get<std::string>();
    files = json.at("files");
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: malformed version description: {}", what, e.what()));
  }
  check_model_name(v.name);
  if (v.version < 1) throw UserError(what + ": version numbers start at 1");
  v.files = files_from_json(files, what);
  return v;
}

}  // namespace sinew
