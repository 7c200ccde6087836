// Checkpoint folders: checkpoints/step_<N>/ with manifest.json, manifest.sha256 and the files
// listed in the manifest.
//
// manifest.json: {"format_version", "step", "wall_time_s", "created", "config_hash",
// "counters": {...}, "files": [{"path", "size", "sha256"}]}. manifest.sha256 holds the SHA-256
// of manifest.json in `sha256sum` format, so an edited manifest (counters, the file list) is
// detected like a corrupt file. A checkpoint is written into a hidden temporary folder, every
// file and the folder are fsynced, and the folder is renamed into place, so a crash never
// leaves a folder named step_<N> that is incomplete.
//
// Trust: a verified checkpoint is one whose manifest matches manifest.sha256, whose listed
// paths stay inside the folder (relative, no "..", no links), whose listed files all match
// their size and SHA-256, and whose folder holds no file that is not listed. Loaders read only
// fixed names inside a verified folder, so everything they read has been checked. (The
// checksums catch accidents and careless edits; anyone who can write the folder can also
// rewrite them.)
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sinew {

inline constexpr int kCheckpointFormatVersion = 2;  // 2: manifest.sha256 required

class CheckpointWriter {
 public:
  // Stages a checkpoint for `step` under `checkpoints_dir`.
  CheckpointWriter(std::filesystem::path checkpoints_dir, int64_t step);
  ~CheckpointWriter();  // removes the staging folder if commit() was not reached
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  // The path to write `relative` (e.g. "models/policy.pt") to; parent folders are created.
  std::filesystem::path file(const std::string& relative);

  // A writer whose file(relative) stages `folder`/relative into this checkpoint, for one of
  // several components that name their files alike (e.g. a second algorithm's under
  // "algorithms/1"). It must not outlive this writer; its commit() throws std::logic_error.
  CheckpointWriter subfolder(const std::string& folder);

  // Hashes every staged file, writes manifest.json (with `meta` merged in), fsyncs and renames
  // the folder to step_<N>. Returns the final folder. Throws std::runtime_error on I/O errors.
  std::filesystem::path commit(const nlohmann::json& meta);

 private:
  CheckpointWriter(CheckpointWriter* parent, std::string folder);

  CheckpointWriter* parent_ = nullptr;  // set for a subfolder(): files are staged there
  std::string folder_;                  // subfolder(): prefix of every relative name
  std::filesystem::path checkpoints_dir_;
  std::filesystem::path staging_;
  int64_t step_;
  std::vector<std::string> files_;
  bool committed_ = false;
};

// Reads manifest.json of a checkpoint folder. With `verify`, checks everything listed under
// "Trust" above. Throws UserError naming the folder and the first problem found. Without
// `verify` (listings for display only) the manifest is parsed and nothing is trusted.
nlohmann::json read_manifest(const std::filesystem::path& checkpoint_dir, bool verify);

// The newest checkpoint under `checkpoints_dir` that verifies, with its manifest; `on_skip`
// hears about each newer one that does not (folder name, reason). Throws UserError when none
// verifies.
std::pair<std::filesystem::path, nlohmann::json> newest_verified_checkpoint(
    const std::filesystem::path& checkpoints_dir,
    const std::function<void(const std::string&, const std::string&)>& on_skip);

// Checkpoint folders (step_<N>) under `checkpoints_dir`, oldest first by step.
std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& checkpoints_dir);

// Deletes all but the newest `keep_last` checkpoints (keep_last <= 0 keeps all). Each is renamed
// to a hidden .tmp_ name before it is deleted, so an interrupted deletion leaves no step_<N>.
void prune_checkpoints(const std::filesystem::path& checkpoints_dir, int keep_last);

}  // namespace sinew
