// A version being assembled in a hidden folder <store>/<name>/.staging-<host>-<pid>-<random>/
// before LocalModelStore::commit() publishes it as v<N>. Until then no reader sees it; the
// folder is removed when the staging is destroyed without a commit. (A process that dies
// leaves the hidden folder behind, never a version.)
//
// Made by LocalModelStore::stage(); not copyable or movable (hold it in a std::unique_ptr).
// Not thread-safe: one thread writes a staging at a time.
#pragma once

#include <filesystem>
#include <string>

namespace sinew {

class VersionStaging {
 public:
  // Creates the staging folder under `name_dir` (<store>/<name>, created too) for model `name`.
  // Throws std::runtime_error when it cannot be created.
  VersionStaging(std::filesystem::path name_dir, std::string name);
  // Removes the staging folder unless it was committed.
  ~VersionStaging();
  VersionStaging(const VersionStaging&) = delete;
  VersionStaging& operator=(const VersionStaging&) = delete;

  const std::string& name() const { return name_; }
  const std::filesystem::path& name_dir() const { return name_dir_; }
  // The staging folder; its files/ subfolder holds the version's files.
  const std::filesystem::path& folder() const { return folder_; }
  std::filesystem::path files_dir() const;

  // Where to write file `relative` ('/'-separated; checked with check_model_file_path, so it
  // stays inside); its parent folders are created. Throws UserError for a bad path.
  std::filesystem::path file(const std::string& relative) const;

  // Called by LocalModelStore::commit() once the folder was renamed into place.
  void mark_committed() { committed_ = true; }

 private:
  std::filesystem::path name_dir_;
  std::string name_;
  std::filesystem::path folder_;
  bool committed_ = false;
};

}  // namespace sinew
