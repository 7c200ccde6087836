#include "sinew/runtime/find_checkpoint.h"

#include <fmt/format.h>

#include <cstdio>

#include "sinew/core/checkpoint.h"
#include "sinew/core/errors.h"
#include "sinew/store/store_location.h"

namespace sinew {
namespace fs = std::filesystem;

std::pair<fs::path, nlohmann::json> find_checkpoint(const fs::path& given) {
  const std::string text = given.string();
  if (text.rfind("store:", 0) == 0) {
    const fs::path stored = resolve_store_ref(text.substr(6), "", "");
    if (!fs::is_regular_file(stored / "manifest.json")) {
      throw UserError(
          fmt::format("{} is not a checkpoint (an exported policy?); pushed runs and "
                      "checkpoints are",
                      text));
    }
    return {stored, read_manifest(stored, true)};
  }
  if (fs::is_regular_file(given / "manifest.json")) return {given, read_manifest(given, true)};
  fs::path folder = fs::is_directory(given / "checkpoints") ? given / "checkpoints" : given;
  if (list_checkpoints(folder).empty()) {
    throw UserError(fmt::format("{} is neither a checkpoint nor a run folder with checkpoints",
                                given.string()));
  }
  return newest_verified_checkpoint(folder, [](const std::string& name, const std::string& why) {
    std::fprintf(stderr, "skipping %s: %s\n", name.c_str(), why.c_str());
  });
}

}  // namespace sinew
