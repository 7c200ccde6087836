#include "sinew/store/local_model_store.h"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/core/utc_time.h"
#include "sinew/core/yaml_scalar.h"
#include "sinew/store/pull_staging.h"
#include "sinew/store/version_folder.h"
#include "sinew/store/version_ledger.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

std::string label_of(const std::string& name, int64_t version) {
  return fmt::format("model {}:{}", name, version);
}

}  // namespace

LocalModelStore::LocalModelStore(fs::path root) : root_(std::move(root)) {}

fs::path LocalModelStore::version_dir(const std::string& name, int64_t version) const {
  return name_dir(name) / fmt::format("v{}", version);
}

std::vector<int64_t> LocalModelStore::versions_of(const std::string& name) const {
  return VersionLedger(name_dir(name)).versions();
}

std::vector<std::pair<std::string, int64_t>> LocalModelStore::tags_of(
    const std::string& name) const {
  return VersionLedger(name_dir(name)).tags();
}

int64_t LocalModelStore::resolve(const ModelRef& ref) const {
  check_model_name(ref.name);
  switch (ref.kind) {
    case ModelRef::Kind::kVersion:
      if (!fs::is_directory(version_dir(ref.name, ref.version))) {
        throw ModelNotFound(
            fmt::format("model {} has no version {} in {}", ref.name, ref.version, root_.string()));
      }
      return ref.version;
    case ModelRef::Kind::kTag: {
      check_model_tag(ref.tag);
      const std::optional<int64_t> version = VersionLedger(name_dir(ref.name)).tag(ref.tag);
      if (!version) {
        throw ModelNotFound(
            fmt::format("model {} has no tag '{}' in {}", ref.name, ref.tag, root_.string()));
      }
      if (!fs::is_directory(version_dir(ref.name, *version))) {
        throw ModelNotFound(fmt::format("model tag {} points to version {}, which was removed",
                                        ref.str(), *version));
      }
      return *version;
    }
    case ModelRef::Kind::kLatest:
      break;
  }
  const auto versions = versions_of(ref.name);
  if (versions.empty()) {
    throw ModelNotFound(fmt::format("no model named {} in {}", ref.name, root_.string()));
  }
  return versions.back();
}

ModelVersion LocalModelStore::describe(const ModelRef& ref) {
  const int64_t number = resolve(ref);
  const std::string label = label_of(ref.name, number);
  ModelVersion version = read_version_description(version_dir(ref.name, number), label);
  if (version.name != ref.name || version.version != number) {
    throw UserError(fmt::format("{}: its {} describes {} (a moved folder?)", label, kVersionFile,
                                version.ref()));
  }
  for (const auto& [tag, target] : tags_of(ref.name)) {
    if (target == number) version.tags.push_back(tag);
  }
  return version;
}

fs::path LocalModelStore::files_dir(const ModelVersion& version) const {
  return version_dir(version.name, version.version) / kVersionFilesFolder;
}

ModelVersion LocalModelStore::show(const ModelRef& ref) {
  ModelVersion version = describe(ref);
  verify_version_files(files_dir(version), version, label_of(version.name, version.version));
  return version;
}

fs::path LocalModelStore::local_path(const ModelRef& ref) { return files_dir(show(ref)); }

std::vector<std::string> LocalModelStore::model_names() const {
  std::vector<std::string> names;
  std::error_code error;
  for (fs::directory_iterator it(root_, error), end; !error && it != end; it.increment(error)) {
    const std::string folder = it->path().filename().string();
    if (!it->is_directory()) continue;
    try {
      check_model_name(folder);
      names.push_back(folder);
    } catch (const UserError&) {
      // not one of ours
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> LocalModelStore::collect_garbage() {
  std::vector<std::string> done;
  for (const auto& name : model_names()) {
    for (auto& line : remove_abandoned_of(name)) done.push_back(std::move(line));
  }
  return done;
}

std::vector<ModelVersion> LocalModelStore::list(std::optional<std::string> name) {
  std::vector<std::string> names;
  if (name) {
    check_model_name(*name);
    names.push_back(*name);
  } else {
    names = model_names();
  }
  // their versions, each checked against its checksum
  std::vector<ModelVersion> out;
  for (const auto& model : names) {
    remove_abandoned_of(model);
    for (int64_t number : versions_of(model)) {
      try {
        out.push_back(describe(ModelRef::at_version(model, number)));
      } catch (const ModelNotFound&) {
        // removed meanwhile
      } catch (const UserError& e) {
        ModelVersion broken;
        broken.name = model;
        broken.version = number;
        broken.problem = e.what();
        out.push_back(std::move(broken));
      }
    }
  }
  return out;
}

std::vector<std::string> LocalModelStore::remove_abandoned_of(const std::string& name) const {
  std::vector<std::string> done = VersionLedger(name_dir(name)).recover();
  for (const auto& [path, bytes] : remove_abandoned(name_dir(name), {"staging", "removing"})) {
    done.push_back(fmt::format("removed {} ({} bytes)", path.string(), bytes));
  }
  for (const auto& [path, bytes] : remove_abandoned(name_dir(name) / "tags", {})) {
    done.push_back(fmt::format("removed {} ({} bytes)", path.string(), bytes));
  }
  return done;
}

std::unique_ptr<VersionStaging> LocalModelStore::stage(const std::string& name) {
  check_model_name(name);
  remove_abandoned_of(name);
  return std::make_unique<VersionStaging>(name_dir(name), name);
}

ModelVersion LocalModelStore::commit(VersionStaging& staging, std::optional<std::string> tag,
                                     nlohmann::json metadata,
                                     const std::vector<ModelFile>* expected) {
  if (tag) check_model_tag(*tag);
  if (metadata.is_null()) metadata = nlohmann::json::object();
  if (!metadata.is_object()) throw UserError("model metadata must be a JSON object");
  const std::string& name = staging.name();
  // hash every staged file (fsynced as it is read back)
  ModelVersion version;
  version.name = name;
  version.metadata = std::move(metadata);
  const fs::path files = staging.files_dir();
  for (auto it = fs::recursive_directory_iterator(files); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::file_status status = it->symlink_status();
    if (fs::is_directory(status)) continue;
    const std::string relative = fs::relative(it->path(), files).generic_string();
    if (!fs::is_regular_file(status)) {
      throw UserError(fmt::format("model {}: staged {} is not a regular file", name, relative));
    }
    check_model_file_path(relative);
    fsync_path(it->path());
    version.files.push_back(
        ModelFile{relative, static_cast<std::uint64_t>(it->file_size()), sha256_file(it->path())});
  }
  std::sort(version.files.begin(), version.files.end(),
            [](const ModelFile& a, const ModelFile& b) { return a.path < b.path; });
  if (version.files.empty()) throw UserError(fmt::format("model {}: no files to store", name));
  // an upload: exactly the declared files, each as declared
  if (expected) {
    std::map<std::string, const ModelFile*> staged;
    for (const auto& f : version.files) staged[f.path] = &f;
    for (const auto& want : *expected) {
      auto found = staged.find(want.path);
      if (found == staged.end()) {
        throw UserError(fmt::format("upload of {}: {} was never sent", name, want.path));
      }
      if (found->second->size != want.size) {
        throw UserError(
            fmt::format("upload of {}: {} has {} bytes, not the {} declared "
                        "(truncated?)",
                        name, want.path, found->second->size, want.size));
      }
      if (found->second->sha256 != want.sha256) {
        throw UserError(
            fmt::format("upload of {}: {} does not match its declared SHA-256", name, want.path));
      }
    }
    if (expected->size() != version.files.size()) {
      throw UserError(fmt::format("upload of {}: holds files that were not declared", name));
    }
  }
  // claim a number, describe the version, record its tag, publish the folder under v<N> (the
  // commit point: readers see the version and its tag together), settle the tag file
  VersionLedger ledger(name_dir(name));
  version.version = ledger.claim();
  version.created = iso_time_utc_now();
  version.manifest_sha256 = write_version_description(staging.folder(), version);
  fsync_folders(staging.folder());
  if (tag) ledger.intend(version.version, *tag);
  const fs::path final_dir = version_dir(name, version.version);
  if (::rename(staging.folder().c_str(), final_dir.c_str()) != 0) {
    const int failure = errno;
    ledger.give_back(version.version);
    throw std::runtime_error(
        fmt::format("cannot publish {}: {}", final_dir.string(), std::strerror(failure)));
  }
  staging.mark_committed();
  fsync_path(name_dir(name));
  ledger.settle(version.version, tag);
  if (tag) version.tags.push_back(*tag);
  return version;
}

ModelVersion LocalModelStore::push(const fs::path& artifact, const std::string& name,
                                   std::optional<std::string> tag, nlohmann::json metadata) {
  check_model_name(name);
  if (tag) check_model_tag(*tag);
  if (!metadata.is_null() && !metadata.is_object()) {
    throw UserError("model metadata must be a JSON object");
  }
  const auto files = artifact_files(artifact);
  auto staging = stage(name);
  for (const auto& [relative, source] : files) {
    copy_file_hashed(source, staging->file(relative), relative);
  }
  return commit(*staging, std::move(tag), std::move(metadata), nullptr);
}

int64_t LocalModelStore::remove(const ModelRef& ref) {
  if (!ref.explicit_selector || ref.kind == ModelRef::Kind::kLatest) {
    throw UserError(fmt::format("removing needs a version or a tag ({}:3, {}:best), not '{}'",
                                ref.name, ref.name, ref.str()));
  }
  remove_abandoned_of(ref.name);
  const int64_t number = resolve(ref);
  // rename out of sight (atomic: the commit point; a failure changes nothing), then the tags,
  // then delete
  const fs::path doomed =
      name_dir(ref.name) / unique_hidden_name(fmt::format("removing-{}", number));
  const fs::path dir = version_dir(ref.name, number);
  if (::rename(dir.c_str(), doomed.c_str()) != 0) {
    if (errno == ENOENT) {
      throw ModelNotFound(fmt::format("model {}:{} was removed meanwhile", ref.name, number));
    }
    throw std::runtime_error(
        fmt::format("cannot remove {}: {}", dir.string(), std::strerror(errno)));
  }
  VersionLedger(name_dir(ref.name)).forget(number);
  fsync_path(name_dir(ref.name));
  fs::remove_all(doomed);
  return number;
}

fs::path LocalModelStore::pull(const ModelRef& ref, const fs::path& destination) {
  PullStaging target(destination);
  const ModelVersion version = describe(ref);
  const std::string label = label_of(version.name, version.version);
  const fs::path source = files_dir(version);
  // nothing unlisted, no links: the listed files' checks follow on the copies
  verify_version_files(source, version, label, /*hash_contents=*/false);
  for (const auto& f : version.files) {
    const ModelFile copied = copy_file_hashed(source / f.path, target.file(f.path), f.path);
    if (copied.size != f.size || copied.sha256 != f.sha256) {
      throw UserError(fmt::format("{}: {} fails its {} check (corrupt or edited)", label, f.path,
                                  copied.size != f.size ? "size" : "SHA-256"));
    }
  }
  return target.publish();
}

}  // namespace sinew
