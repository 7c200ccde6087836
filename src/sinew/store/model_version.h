// What a model store knows about one version of a named model: its version.json.
//
// version.json: {"format_version": 1, "name", "version", "created" (ISO-8601 UTC),
// "metadata": {...} (whatever the pusher gave: env, spec hash, eval metrics, parent, ...),
// "files": [{"path", "size", "sha256"}]} with paths relative to the version's files/ folder,
// sorted. Tags are not in version.json (they move; the version does not): ModelVersion::tags
// is filled from the store's tag files when a version is read.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sinew {

inline constexpr int kModelVersionFormat = 1;

struct ModelFile {
  std::string path;    // relative to the version's files, '/'-separated
  std::uint64_t size;  // [bytes]
  std::string sha256;  // 64 lowercase hex digits
};

struct ModelVersion {
  std::string name;
  int64_t version = 0;  // 1, 2, ... per name
  std::string created;  // ISO-8601 UTC, e.g. "2024-05-01T12:00:00Z"
  nlohmann::json metadata = nlohmann::json::object();
  std::vector<ModelFile> files;   // sorted by path
  std::vector<std::string> tags;  // the tags that point here now, sorted
  std::string manifest_sha256;    // SHA-256 of version.json as stored
  // list() only: why this version does not verify; "" when its version.json verifies.
  std::string problem;

  // "walker:3"
  std::string ref() const { return name + ":" + std::to_string(version); }
  // The sum of the files' sizes [bytes].
  std::uint64_t total_bytes() const;
};

// version.json's object (without tags, manifest_sha256 and problem).
nlohmann::json version_manifest_json(const ModelVersion& version);
// Every field, as the store server sends a version: the manifest plus "tags",
// "manifest_sha256" and (when set) "problem".
nlohmann::json to_json(const ModelVersion& version);
// Reads either form above. Throws UserError naming `what` when a field is missing or of the
// wrong type, or a file path breaks check_model_file_path.
ModelVersion model_version_from_json(const nlohmann::json& json, const std::string& what);

// A file list as an upload declares it, [{"path", "size", "sha256"}]; and back. The reader
// checks each path (check_model_file_path), each sha256 (64 hex digits) and that no path is
// listed twice or is also a folder of another; throws UserError naming `what`.
nlohmann::json files_to_json(const std::vector<ModelFile>& files);
std::vector<ModelFile> files_from_json(const nlohmann::json& json, const std::string& what);

}  // namespace sinew
