// The folder of one training run: runs/<experiment>/<date_time>/ with the resolved config.yaml,
// metrics.csv, train.log and checkpoints/.
#pragma once

#include <filesystem>
#include <string>

#include "sinew/core/config.h"

namespace sinew {

class RunDir {
 public:
  // Creates <root>/<experiment>/<YYYY-MM-DD_HH-MM-SS>[_N]/ and writes config.yaml into it.
  // Throws std::runtime_error naming the folder if it cannot be created.
  static RunDir create(const std::filesystem::path& root, const std::string& experiment,
                       const Config& config);

  // An existing run folder (for resume); throws UserError if it has no config.yaml.
  static RunDir open(const std::filesystem::path& path);

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path config_file() const { return path_ / "config.yaml"; }
  std::filesystem::path metrics_file() const { return path_ / "metrics.csv"; }
  std::filesystem::path log_file() const { return path_ / "train.log"; }
  std::filesystem::path checkpoints() const { return path_ / "checkpoints"; }

 private:
  explicit RunDir(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace sinew
