#include "sinew/store/version_staging.h"

#include "sinew/store/model_ref.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

VersionStaging::VersionStaging(fs::path name_dir, std::string name)
    : name_dir_(std::move(name_dir)), name_(std::move(name)) {
  folder_ = name_dir_ / unique_hidden_name("staging");
  fs::create_directories(folder_ / kVersionFilesFolder);
}

VersionStaging::~VersionStaging() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(folder_, ignored);
}

fs::path VersionStaging::files_dir() const { return folder_ / kVersionFilesFolder; }

fs::path VersionStaging::file(const std::string& relative) const {
  check_model_file_path(relative);
  fs::path path = files_dir() / relative;
  fs::create_directories(path.parent_path());
  return path;
}

}  // namespace sinew
