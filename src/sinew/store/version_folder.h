// The folder of one stored version, <store>/<name>/v<N>/:
//   version.json     the description (model_version.h), written once
//   version.sha256   SHA-256 of version.json in `sha256sum` format, so an edited description is
//                    detected like a corrupt file
//   files/...        exactly the files version.json lists
// and the file helpers both stores use to copy and check such files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "sinew/store/model_version.h"

namespace sinew {

inline constexpr const char* kVersionFile = "version.json";
inline constexpr const char* kVersionSumFile = "version.sha256";
inline constexpr const char* kVersionFilesFolder = "files";

// Writes version.json and version.sha256 of `version` into `dir` and fsyncs them; returns the
// SHA-256 of version.json. Throws std::runtime_error on I/O errors.
std::string write_version_description(const std::filesystem::path& dir,
                                      const ModelVersion& version);

// Reads `dir`/version.json and checks it against version.sha256. `label` ("model walker:3")
// starts every error. Throws UserError when either is missing, they disagree, or the
// description is malformed.
ModelVersion read_version_description(const std::filesystem::path& dir, const std::string& label);

// Checks `files_dir` against `version.files`: each listed file is a regular file (no links on
// the way) of the listed size, with `hash_contents` also of the listed SHA-256, and nothing else
// is in the folder. Throws UserError "<label>: <path> ..." naming the first file that fails.
void verify_version_files(const std::filesystem::path& files_dir, const ModelVersion& version,
                          const std::string& label, bool hash_contents = true);

// `files_dir`/`relative` for a listed file (path checked with check_model_file_path), refusing
// links on the way. Throws UserError "<label>: <relative> is a link ...".
std::filesystem::path version_member(const std::filesystem::path& files_dir,
                                     const std::string& relative, const std::string& label);

// The regular files of an artifact to push, as {relative path ('/'-separated), full path},
// sorted: every file under a folder, recursively, or one file under its own name. Throws
// UserError naming the path when it does not exist, holds a link or a special file (a fifo, a
// socket, a device), holds no file, or a relative path breaks check_model_file_path.
std::vector<std::pair<std::string, std::filesystem::path>> artifact_files(
    const std::filesystem::path& artifact);

// Copies `from` to `to` (created or truncated; parent folders created), fsyncs it and returns
// the size and SHA-256 of the bytes written, with `relative` as the path. Throws UserError when
// `from` cannot be read, std::runtime_error when `to` cannot be written.
ModelFile copy_file_hashed(const std::filesystem::path& from, const std::filesystem::path& to,
                           const std::string& relative);

// fsyncs every folder under `dir`, and `dir` itself.
void fsync_folders(const std::filesystem::path& dir);

// A name for a hidden temporary sibling that no other thread, process or host picks:
// ".<stem>-<host>-<pid>-<random>".
std::string unique_hidden_name(const std::string& stem);

// Whether `filename` is a unique_hidden_name whose process is gone: made on this host by a
// process id that no longer runs. (A name from another host is never judged: false.)
bool hidden_owner_gone(const std::string& filename);

// Removes the entries of `folder` that are unique_hidden_names with one of `stems` (none: any
// stem) whose owner is gone (hidden_owner_gone): what killed pushes, removals and pulls left
// behind. Returns each entry removed with the bytes it held. Errors are ignored (a read-only
// store is only read).
std::vector<std::pair<std::filesystem::path, std::uint64_t>> remove_abandoned(
    const std::filesystem::path& folder, const std::vector<std::string>& stems);

}  // namespace sinew
