// A model store in a folder: the default `sinew models` store, also usable on a shared
// filesystem by several processes and hosts at once, and the storage behind StoreServer.
//
// Layout under the root:
//   <name>/v<N>/           a complete version (version_folder.h: version.json, version.sha256,
//                          files/...); only ever appears whole, by rename()
//   <name>/tags/<tag>      the version number a tag points to ("3\n"), replaced atomically
//   <name>/.claims/<N>/    an empty folder per version number ever taken: numbers are claimed
//                          with mkdir() (atomic, also over NFS), so concurrent pushes get
//                          distinct numbers and a removed version's number is never reused
//   <name>/.staging-*/     a push or upload in progress (VersionStaging); never read
//   <name>/.removing-*/    a removal in progress
// Names and tags follow model_ref.h, so no name or tag can step outside the root; hidden
// entries start with '.', which no name may.
//
// `latest` is the highest version folder present. A push fsyncs every file and folder before
// the rename that publishes it, so a crash leaves at most a hidden staging folder (and a gap
// in the numbers), never a partial version.
//
// Threads and processes: every method may run concurrently with any other, in this or other
// processes. A version removed while another process reads it fails that reader's verification
// (or its reads) with an error naming the version.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sinew/store/model_store.h"
#include "sinew/store/version_staging.h"

namespace sinew {

class LocalModelStore : public ModelStore {
 public:
  // A store rooted at `root` (created by the first push).
  explicit LocalModelStore(std::filesystem::path root);

  ModelVersion push(const std::filesystem::path& artifact, const std::string& name,
                    std::optional<std::string> tag, nlohmann::json metadata) override;
  ModelVersion show(const ModelRef& ref) override;
  std::vector<ModelVersion> list(std::optional<std::string> name) override;
  int64_t remove(const ModelRef& ref) override;
  std::filesystem::path pull(const ModelRef& ref,
                             const std::filesystem::path& destination) override;
  // The version's own files/ folder, after verifying it. Do not write into it.
  std::filesystem::path local_path(const ModelRef& ref) override;

  // --- for servers that receive a version's files piece by piece (StoreServer) ---

  // A new hidden staging folder for a version of `name` (checked with check_model_name).
  std::unique_ptr<VersionStaging> stage(const std::string& name);

  // Publishes `staging` as the next version of its name: hashes every file under its files/
  // folder (links and special files refused), writes version.json with `metadata`, claims the
  // next number, renames the folder to v<N>, and points `tag` (if any) at it. With `expected`,
  // the staged files must be exactly those listed, each of the listed size and SHA-256;
  // otherwise UserError naming the first file that differs, and nothing is published.
  ModelVersion commit(VersionStaging& staging, std::optional<std::string> tag,
                      nlohmann::json metadata, const std::vector<ModelFile>* expected);

  // The description of version `ref` after checking it against its checksum, without hashing
  // its files (e.g. to serve one file of it); tags filled in. Throws like show().
  ModelVersion describe(const ModelRef& ref);
  // The verified version's folder of files (as local_path) without verifying the files.
  std::filesystem::path files_dir(const ModelVersion& version) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path name_dir(const std::string& name) const { return root_ / name; }
  // Removes what killed pushes and removals of `name` left (stagings, folders being removed,
  // tag temps) whose process is gone (remove_abandoned); errors ignored.
  void remove_abandoned_of(const std::string& name) const;
  std::filesystem::path version_dir(const std::string& name, int64_t version) const;
  // the version number `ref` names; throws ModelNotFound
  int64_t resolve(const ModelRef& ref) const;
  // version numbers present for `name`, ascending
  std::vector<int64_t> versions_of(const std::string& name) const;
  // tag -> version for `name`
  std::vector<std::pair<std::string, int64_t>> tags_of(const std::string& name) const;
  void write_tag(const std::string& name, const std::string& tag, int64_t version);
  int64_t claim_version_number(const std::string& name);

  const std::filesystem::path root_;
};

}  // namespace sinew
