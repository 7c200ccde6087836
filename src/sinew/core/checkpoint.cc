#include "sinew/core/checkpoint.h"

#include <fcntl.h>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>

#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/core/utc_time.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestFile = "manifest.json";
constexpr const char* kManifestSumFile = "manifest.sha256";

std::string step_folder_name(int64_t step) { return fmt::format("step_{}", step); }

// manifest.json against manifest.sha256 ("<hex>  manifest.json").
void verify_manifest_checksum(const fs::path& dir, const std::string& manifest_text, int version) {
  const fs::path sum_path = dir / kManifestSumFile;
  if (!fs::is_regular_file(fs::symlink_status(sum_path))) {
    throw UserError(fmt::format("checkpoint {}: no {}{}, so its manifest cannot be trusted",
                                dir.string(), kManifestSumFile,
                                version < 2 ? " (format 1, written before sinew checked "
                                              "manifests: start a new run)"
                                            : ""));
  }
  const std::string sum = read_text_file(sum_path);
  if (sum.substr(0, sum.find(' ')) != sha256_hex(manifest_text)) {
    throw UserError(
        fmt::format("checkpoint {}: manifest.json does not match {} (edited or "
                    "corrupt)",
                    dir.string(), kManifestSumFile));
  }
}

// The path of a listed file, refusing anything that could leave the folder: absolute paths,
// "..", empty names and links on the way.
fs::path checked_member(const fs::path& dir, const std::string& relative) {
  const fs::path rel(relative);
  bool ok = !relative.empty() && rel.is_relative() && relative.size() < 4096 &&
            relative.find('\0') == std::string::npos;
  for (const auto& part : rel) {
    if (part == ".." || part == "." || part.empty()) ok = false;
  }
  if (!ok) {
    throw UserError(fmt::format("checkpoint {}: listed path '{}' leaves the checkpoint folder",
                                dir.string(), shortened(relative)));
  }
  fs::path current = dir;
  for (const auto& part : rel) {
    current /= part;
    if (fs::is_symlink(current)) {
      throw UserError(fmt::format("checkpoint {}: {} is a link; checkpoints hold plain files",
                                  dir.string(), relative));
    }
  }
  return current;
}

// Every file in the folder must be listed (or be the manifest and its checksum): a loader then
// never reads a file that was not verified.
void check_nothing_unlisted(const fs::path& dir, const std::set<std::string>& listed) {
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && !it->is_symlink()) continue;
    const std::string relative = fs::relative(it->path(), dir).lexically_normal().string();
    if (relative == kManifestFile || relative == kManifestSumFile) continue;
    if (!listed.count(relative)) {
      throw UserError(
          fmt::format("checkpoint {}: {} is not listed in the manifest, so it "
                      "cannot be verified",
                      dir.string(), relative));
    }
  }
}

}  // namespace

CheckpointWriter::CheckpointWriter(fs::path checkpoints_dir, int64_t step)
    : checkpoints_dir_(std::move(checkpoints_dir)), step_(step) {
  fs::create_directories(checkpoints_dir_);
  staging_ =
      checkpoints_dir_ / fmt::format(".tmp_{}_{}", step_folder_name(step),
                                     std::chrono::steady_clock::now().time_since_epoch().count());
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
  manifest["created"] = iso_time_utc_now();
  nlohmann::json listed = nlohmann::json::array();
  for (const auto& relative : files_) {
    fs::path path = staging_ / relative;
    fsync_path(path);
    listed.push_back({{"path", relative},
                      {"size", static_cast<int64_t>(fs::file_size(path))},
                      {"sha256", sha256_file(path)}});
  }
  manifest["files"] = listed;
  const std::string manifest_text = manifest.dump(2) + "\n";
  write_file_atomically(staging_ / kManifestFile, manifest_text);
  write_file_atomically(staging_ / kManifestSumFile,
                        sha256_hex(manifest_text) + "  " + kManifestFile + "\n");
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
      throw std::runtime_error(
          fmt::format("cannot replace {}: {}", final_dir.string(), std::strerror(errno)));
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
  fs::path manifest_path = checkpoint_dir / kManifestFile;
  const fs::file_status status = fs::symlink_status(manifest_path);
  if (fs::is_symlink(status)) {
    throw UserError(fmt::format("{}: a link, not a checkpoint's manifest (not followed)",
                                manifest_path.string()));
  }
  if (!fs::is_regular_file(status)) {
    throw UserError(
        fmt::format("{} is not a checkpoint (no manifest.json)", checkpoint_dir.string()));
  }
  const std::string text = read_text_file(manifest_path);
  nlohmann::json manifest;
  try {
    manifest = nlohmann::json::parse(text);
    const int version = manifest.at("format_version").get<int>();
    if (version > kCheckpointFormatVersion) {
      throw UserError(fmt::format("{}: checkpoint format {} is newer than this sinew reads ({})",
                                  manifest_path.string(), version, kCheckpointFormatVersion));
    }
    if (!verify) return manifest;
    verify_manifest_checksum(checkpoint_dir, text, version);
    std::set<std::string> listed;
    for (const auto& f : manifest.at("files")) {
      const std::string relative = f.at("path").get<std::string>();
      fs::path path = checked_member(checkpoint_dir, relative);
      if (!listed.insert(fs::path(relative).lexically_normal().string()).second) {
        throw UserError(
            fmt::format("checkpoint {}: {} is listed twice", checkpoint_dir.string(), relative));
      }
      if (!fs::is_regular_file(fs::symlink_status(path))) {
        throw UserError(
            fmt::format("checkpoint {}: missing file {}", checkpoint_dir.string(), relative));
      }
      if (static_cast<int64_t>(fs::file_size(path)) != f.at("size").get<int64_t>()) {
        throw UserError(fmt::format("checkpoint {}: {} has the wrong size (truncated?)",
                                    checkpoint_dir.string(), relative));
      }
      if (sha256_file(path) != f.at("sha256").get<std::string>()) {
        throw UserError(fmt::format("checkpoint {}: {} fails its SHA-256 check (corrupt)",
                                    checkpoint_dir.string(), relative));
      }
    }
    check_nothing_unlisted(checkpoint_dir, listed);
  } catch (const nlohmann::json::parse_error& e) {
    // the position only: the parser's message quotes the bytes it read
    throw UserError(
        fmt::format("{}: malformed manifest: not JSON at byte {}", manifest_path.string(), e.byte));
  } catch (const nlohmann::json::exception& e) {
    throw UserError(fmt::format("{}: malformed manifest: {}", manifest_path.string(), e.what()));
  }
  return manifest;
}

std::pair<fs::path, nlohmann::json> newest_verified_checkpoint(
    const fs::path& checkpoints_dir,
    const std::function<void(const std::string&, const std::string&)>& on_skip) {
  auto all = list_checkpoints(checkpoints_dir);
  for (auto it = all.rbegin(); it != all.rend(); ++it) {
    try {
      return {*it, read_manifest(*it, /*verify=*/true)};
    } catch (const UserError& e) {
      if (on_skip) on_skip(it->filename().string(), e.what());
    }
  }
  throw UserError(fmt::format("{} has no checkpoint that verifies{}",
                              checkpoints_dir.parent_path().string(),
                              all.empty() ? " (none was written)" : ""));
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
