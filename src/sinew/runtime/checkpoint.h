// Checkpoint folders: checkpoints/step_<N>/ with manifest.json and the files listed in it.
//
// manifest.json: {"format_version", "step", "wall_time_s", "created", "config_hash",
// "counters": {...}, "files": [{"path", "size", "sha256"}]}. A checkpoint is written into a
// hidden temporary folder, every file and the folder are fsynced, and the folder is renamed
// into place, so a crash never leaves a folder named step_<N> that is incomplete.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sinew {

inline constexpr int kCheckpointFormatVersion = 1;

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

// Reads manifest.json of a checkpoint folder. With `verify`, checks that every listed file
// exists with the listed size and SHA-256. Throws UserError naming the folder and the first
// problem found.
nlohmann::json read_manifest(const std::filesystem::path& checkpoint_dir, bool verify);

// Checkpoint folders (step_<N>) under `checkpoints_dir`, oldest first by step.
std::vector<std::filesystem::path> list_checkpoints(const std::filesystem::path& checkpoints_dir);

// Deletes all but the newest `keep_last` checkpoints (keep_last <= 0 keeps all). Each is renamed
// to a hidden .tmp_ name before it is deleted, so an interrupted deletion leaves no step_<N>.
void prune_checkpoints(const std::filesystem::path& checkpoints_dir, int keep_last);

}  // namespace sinew
