#include "sinew/runtime/checkpoint.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include <fcntl.h>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

std::string step_folder_name(int64_t step) { return fmt::format("step_{}", step); }

std::string iso_time_now() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace

CheckpointWriter::CheckpointWriter(fs::path checkpoints_dir, int64_t step)
    : checkpoints_dir_(std::move(checkpoints_dir)), step_(step) {
  fs::create_directories(checkpoints_dir_);
  staging_ = checkpoints_dir_ / fmt::format(".tmp_{}_{}", step_folder_name(step),
                                            std::chrono::steady_clock::now().time_since_epoch()
                                                .count());
  fs::create_directories(staging_);
}

CheckpointWriter::CheckpointWriter(CheckpointWriter* parent, std::string folder)
    : parent_(parent), folder_(std::move(folder)), step_(parent->step_) {}

CheckpointWriter CheckpointWriter::subfolder(const std::string& folder) {
  return CheckpointWriter(this, folder);
}

CheckpointWriter::~CheckpointWriter() {
  if (!parent_ && !committed_) {
    std::error_code ec;
    fs::remove_all(staging_, ec);
  }
}

fs::path CheckpointWriter::file(const std::string& relative) {
  if (parent_) return parent_->file((fs::path(folder_) / relative).string());
  fs::path path = staging_ / relative;
  fs::create_directories(path.parent_path());
  files_.push_back(relative);
  return path;
}

fs::path CheckpointWriter::commit(const nlohmann::json& meta) {
  if (parent_) throw std::logic_error("a checkpoint subfolder is committed by its parent");
  nlohmann::json manifest = meta;
  manifest["format_version"] = kCheckpointFormatVersion;
  manifest["step"] = step_;
  manifest["created"] = iso_time_now();
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& relative : files_) {
    fs::path path = staging_ / relative;
    fsync_path(path);
    listed.push_back({{"path", relative},
                      {"size", static_cast<int64_t>(fs::file_size(path))},
                      {"sha256", sha256_file(path)}});
  }
  manifest["files"] = listed;
  write_file_atomically(staging_ / "manifest.json", manifest.dump(2) + "\n");
  // make the folder's entries durable, then publish it under its final name
  for (const auto& entry : fs::recursive_directory_iterator(staging_)) {
    if (entry.is_directory()) fsync_path(entry.path());
  }
  fsync_path(staging_);
  fs::path final_dir = checkpoints_dir_ / step_folder_name(step_);
  if (fs::exists(final_dir)) {
    // a checkpoint of the same step exists (e.g. two requests while paused): swap the two
    // folders in one atomic step, so step_<N> is always a complete checkpoint, then delete
    // the old one (now under the staging name, which resume cleans up if we die first)
    if (renameat2(AT_FDCWD, staging_.c_str(), AT_FDCWD, final_dir.c_str(), RENAME_EXCHANGE) != 0) {
      throw std::runtime_error(fmt::format("cannot replace {}: {}", final_dir.string(),
                                           std::strerror(errno)));
    }
    fsync_path(checkpoints_dir_);
    fs::remove_all(staging_);
  } else {
    fs::rename(staging_, final_dir);
    fsync_path(checkpoints_dir_);
  }
  committed_ = true;
  return final_dir;
}

nlohmann::json read_manifest(const fs::path& checkpoint_dir, bool verify) {
  fs::path manifest_path = checkpoint_dir / "manifest.json";
  if (!fs::is_regular_file(manifest_path)) {
    throw UserError(fmt::format("{} is not a checkpoint (no manifest.json)",
                                checkpoint_dir.string()));
  }
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(read_text_file(manifest_path));
    if (manifest.at("format_version").get<int>() > kCheckpointFormatVersion) {
      throw UserError(fmt::format("{}: checkpoint format {} is newer than this sinew reads ({})",
                                  manifest_path.string(), manifest["format_version"].get<int>(),
                                  kCheckpointFormatVersion));
    }
    if (!verify) return manifest;
    for (const auto& f : manifest.at("files")) {
      fs::path path = checkpoint_dir / f.at("path").get<std::string>();
      if (!fs::is_regular_file(path)) {
        throw UserError(fmt::format("checkpoint {}: missing file {}", checkpoint_dir.string(),
                                    f["path"].get<std::string>()));
      }
      if (static_cast<int64_t>(fs::file_size(path)) != f.at("size").get<int64_t>()) {
        throw UserError(fmt::format("checkpoint {}: {} has the wrong size (truncated?)",
                                    checkpoint_dir.string(), f["path"].get<std::string>()));
      }
      if (sha256_file(path) != f.at("sha256").get<std::string>()) {
        throw UserError(fmt::format("checkpoint {}: {} fails its SHA-256 check (corrupt)",
                                    checkpoint_dir.string(), f["path"].get<std::string>()));
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: malformed manifest: {}", manifest_path.string(), e.what()));
  }
  return manifest;
}

std::vector<fs::path> list_checkpoints(const fs::path& checkpoints_dir) {
  std::vector<std::pair<int64_t, fs::path>> found;
  if (!fs::is_directory(checkpoints_dir)) return {};
  for (const auto& entry : fs::directory_iterator(checkpoints_dir)) {
    std::string name = entry.path().filename().string();
    if (!entry.is_directory() || name.rfind("step_", 0) != 0) continue;
    try {
      found.emplace_back(std::stoll(name.substr(5)), entry.path());
    } catch (const std::exception&) {
      // not one of ours
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<fs::path> out;
  for (auto& [step, path] : found) out.push_back(path);
  return out;
}

void prune_checkpoints(const fs::path& checkpoints_dir, int keep_last) {
  if (keep_last <= 0) return;
  auto all = list_checkpoints(checkpoints_dir);
  for (std::size_t i = 0; i + keep_last < all.size(); ++i) {
    // rename first (atomic), so a crash mid-deletion never leaves an incomplete step_<N>;
    // resume removes .tmp_ leftovers
    fs::path doomed = checkpoints_dir / (".tmp_pruned_" + all[i].filename().string());
    fs::remove_all(doomed);  // a leftover of an earlier crash
    fs::rename(all[i], doomed);
    fs::remove_all(doomed);
  }
}

}  // namespace sinew
