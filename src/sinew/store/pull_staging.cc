#include "sinew/store/pull_staging.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/store/model_ref.h"
#include "sinew/store/version_folder.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

bool is_empty_folder(const fs::path& path) {
  return fs::is_directory(fs::symlink_status(path)) && fs::is_empty(path);
}

}  // namespace

PullStaging::PullStaging(fs::path destination) {
  // "out/" names the folder "out"
  destination = fs::absolute(destination).lexically_normal();
  if (!destination.has_filename()) destination = destination.parent_path();
  destination_ = destination;
  std::error_code error;
  if (fs::exists(fs::symlink_status(destination_, error)) && !is_empty_folder(destination_)) {
    throw UserError(fmt::format("cannot pull into {}: it exists and is not an empty folder",
                                destination_.string()));
  }
  fs::create_directories(destination_.parent_path());
  // what a pull into the same destination left when it was killed
  remove_abandoned(destination_.parent_path(), {destination_.filename().string() + ".pull"});
  staged_ =
      destination_.parent_path() / unique_hidden_name(destination_.filename().string() + ".pull");
  fs::create_directories(staged_);
}

PullStaging::~PullStaging() {
  if (published_) return;
  std::error_code ignored;
  fs::remove_all(staged_, ignored);
}

fs::path PullStaging::file(const std::string& relative) const {
  check_model_file_path(relative);
  fs::path path = staged_ / relative;
  fs::create_directories(path.parent_path());
  return path;
}

fs::path PullStaging::publish() {
  fsync_folders(staged_);
  if (std::rename(staged_.c_str(), destination_.c_str()) != 0) {
    if (errno == ENOTEMPTY || errno == EEXIST || errno == ENOTDIR || errno == EISDIR) {
      throw UserError(
          fmt::format("cannot pull into {}: it was filled meanwhile", destination_.string()));
    }
    throw std::runtime_error(fmt::format("cannot move the pulled files to {}: {}",
                                         destination_.string(), std::strerror(errno)));
  }
  published_ = true;
  fsync_path(destination_.parent_path());
  return destination_;
}

}  // namespace sinew
