// A model store in a folder: the default `sinew models` store, also usable on a shared
// filesystem by several processes and hosts at once, and the storage behind StoreServer.
//
// Layout under the root:
//   <name>/v<N>/           a complete version (version_folder.h: version.json, version.sha256,
//                          files/...); only ever appears whole, by rename()
//   <name>/tags/, <name>/.claims/
//                          tags and version numbers (version_ledger.h): numbers are claimed
//                          with mkdir() (atomic, also over NFS), so concurrent pushes get
//                          distinct numbers and a removed version's number is never reused; a
//                          version and its tag appear to readers in one step
//   <name>/.staging-*/     a push or upload in progress (VersionStaging); never read
//   <name>/.removing-*/    a removal in progress
// Names and tags follow model_ref.h, so no name or tag can step outside the root; hidden
// entries start with '.', which no name may.
//
// `latest` is the highest version folder present. A push fsyncs every file and folder before
// the rename that publishes it, so a crash leaves at most a hidden staging folder and a claim,
// never a partial version; the next push, stage, list or removal of that name (or
// collect_garbage) removes the one and gives back or settles the other.
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

  // Finishes or removes, for every name, what pushes, uploads and removals killed on this host
  // left (`sinew models gc`); one line per thing done. Work of live processes and of other
  // hosts is left alone.
  std::vector<std::string> collect_garbage();

 private:
  std::filesystem::path name_dir(const std::string& name) const { return root_ / name; }
  // every folder under the root that is a valid model name, sorted
  std::vector<std::string> model_names() const;
  // Finishes or removes what killed pushes and removals of `name` left whose process is gone
  // (VersionLedger::recover, then stagings, folders being removed and tag temps by
  // remove_abandoned); one line per thing done. Errors ignored.
  std::vector<std::string> remove_abandoned_of(const std::string& name) const;
  std::filesystem::path version_dir(const std::string& name, int64_t version) const;
  // the version number `ref` names; throws ModelNotFound
  int64_t resolve(const ModelRef& ref) const;
  // version numbers present for `name`, ascending
  std::vector<int64_t> versions_of(const std::string& name) const;
  // tag -> version for `name`
  std::vector<std::pair<std::string, int64_t>> tags_of(const std::string& name) const;

  const std::filesystem::path root_;
};

}  // namespace sinew
