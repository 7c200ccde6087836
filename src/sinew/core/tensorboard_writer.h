// TensorBoard event files: `events.out.tfevents.<time>.<host>.<pid>` in a run folder, written
// as TFRecords (length, masked CRC-32C of the length, serialized Event, masked CRC-32C of the
// data) with Event / Summary protobuf messages (proto/tensorboard.proto). TensorBoard shows the
// scalars, the config as text and the hyperparameters. Not thread-safe: one writer, one thread
// (the metrics bus calls it under its own lock).
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace sinew {

namespace tb {
class Event;
}

class TensorBoardWriter {
 public:
  // Creates a new event file in `dir` and writes its file_version event. Throws
  // std::runtime_error naming the file when it cannot be created.
  explicit TensorBoardWriter(const std::filesystem::path& dir);
  ~TensorBoardWriter();

  // One scalar summary per value, all at `step`.
  void add_scalars(int64_t step, const std::map<std::string, double>& values);
  // Markdown text under `tag` (TensorBoard's text plugin).
  void add_text(const std::string& tag, const std::string& markdown, int64_t step);
  // Hyperparameters for TensorBoard's hparams plugin, with the metrics to show against them.
  using HParam = std::variant<double, bool, std::string>;
  void add_hparams(const std::map<std::string, HParam>& hparams,
                   const std::vector<std::string>& metric_tags);
  // A session (re)start at `step`: TensorBoard discards data at or after `step` that an earlier
  // session wrote, so a resumed run's curves stay monotonic.
  void add_session_start(int64_t step);
  void flush();

  const std::filesystem::path& path() const { return path_; }

 private:
  void write(const tb::Event& event);

  std::filesystem::path path_;
  std::ofstream out_;
};

// Writes one TFRecord: length, masked CRC of the length, data, masked CRC of the data.
void write_tfrecord(std::ostream& out, const std::string& data);

}  // namespace sinew
