// Small, durable file helpers.
#pragma once

#include <filesystem>
#include <string>

namespace sinew {

// Reads a whole file; throws UserError naming the file when it cannot be read.
std::string read_text_file(const std::filesystem::path& path);

// Writes `bytes` to `path` (created or truncated). Throws std::runtime_error naming the path
// and the system's reason ("No space left on device").
void write_file(const std::filesystem::path& path, const std::string& bytes);

// Writes `text` to `path` through a temporary file in the same folder, fsyncs it and renames
// it into place, so readers see either the old or the new content. Throws std::runtime_error.
void write_file_atomically(const std::filesystem::path& path, const std::string& text);

// fsyncs a file or directory; throws std::runtime_error naming the path on failure.
void fsync_path(const std::filesystem::path& path);

}  // namespace sinew
