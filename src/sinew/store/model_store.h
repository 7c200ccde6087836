// A store of named, versioned models (policies, checkpoints): `sinew models push|pull|list|show|
// rm|serve`, and `init.from=store:walker:latest`.
//
// A version is an immutable set of files with metadata (model_version.h), numbered 1, 2, ... per
// name; tags (`walker:best`) are movable names for versions; `latest` is the highest complete
// version. Two implementations: LocalModelStore (a folder, also on a shared filesystem) and
// RemoteModelStore (the HTTP API of StoreServer). open_model_store() picks one from a location.
//
// Trust: every read verifies what it returns. A version's description must match its checksum,
// every file its size and SHA-256, and no unlisted file may be present; a version that fails is
// reported with a UserError naming the version and the file, never used. (The checksums catch
// accidents, truncated copies and careless edits; whoever can write the store can also rewrite
// them.)
//
// Errors: UserError for everything a user can fix or should know (a bad name, an unknown version,
// a tampered file, an unreachable server, a refused token); std::runtime_error for I/O failures
// of the local disk (full disk, permissions). Implementations are safe to use from several
// threads and processes at once.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sinew/core/errors.h"
#include "sinew/store/model_ref.h"
#include "sinew/store/model_version.h"

namespace sinew {

// No such model, version or tag (the store server answers 404).
class ModelNotFound : public UserError {
 public:
  using UserError::UserError;
};

class ModelStore {
 public:
  virtual ~ModelStore() = default;

  // Stores `artifact` as the next version of `name` and returns it. `artifact` is a folder (every
  // regular file inside it, recursively; links and special files are refused) or one regular
  // file (stored under its file name). `tag`, when given, then points at the new version (moved
  // from an older one). `metadata` is kept as given (a JSON object). Concurrent pushes of one
  // name, from threads or processes, get distinct versions; a push that fails or dies leaves no
  // version. Throws UserError for a bad name, tag or artifact.
  virtual ModelVersion push(const std::filesystem::path& artifact, const std::string& name,
                            std::optional<std::string> tag, nlohmann::json metadata) = 0;

  // The version `ref` names, verified (description and every file). Throws UserError when there is
  // no such version or it does not verify.
  virtual ModelVersion show(const ModelRef& ref) = 0;

  // Every version of `name` (every name when nullopt), by name then version. Only each version's
  // description is checked against its checksum, not its files: a version that fails carries
  // the reason in `problem`. An unknown name gives an empty list.
  virtual std::vector<ModelVersion> list(std::optional<std::string> name) = 0;

  // Deletes the version `ref` names, and every tag pointing at it. `ref` must name a version or
  // a tag explicitly (name:3, name:best): removing by tag removes the version it points to.
  // A bare name or name:latest is refused, so that repeating a command never deletes a second
  // version. Returns the number of the version removed. Throws ModelNotFound when there is no
  // such version, UserError for latest.
  virtual int64_t remove(const ModelRef& ref) = 0;

  // Copies the files of version `ref` into `destination` (created; it may exist only as an empty
  // folder), verifying every size and SHA-256 of the bytes written. The files appear under
  // `destination` all at once (staged beside it, then renamed). Returns `destination` as an
  // absolute path. Throws UserError when it exists and is not empty, or the version does not
  // verify.
  virtual std::filesystem::path pull(const ModelRef& ref,
                                     const std::filesystem::path& destination) = 0;

  // A local folder holding the verified files of version `ref`, to be read and not written: the
  // store's own folder for a local store, a verified download in the cache for a remote one.
  // It stays valid until the version is removed (local) or the cache is cleared (remote).
  virtual std::filesystem::path local_path(const ModelRef& ref) = 0;
};

// Opens the store at `location`: "http://host:port" (or https) is a RemoteModelStore with
// `token` (may be empty) caching downloads under `cache_dir`; anything else is the path of a
// LocalModelStore (created on the first push). Throws UserError for an unusable location.
std::unique_ptr<ModelStore> open_model_store(const std::string& location, const std::string& token,
                                             const std::filesystem::path& cache_dir);

}  // namespace sinew
