#include "sinew/runtime/checkpoint_files.h"

#include "sinew/core/text_file.h"

namespace sinew {

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  write_file(path, bytes);
}

}  // namespace sinew
