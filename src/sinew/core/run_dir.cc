#include "sinew/core/run_dir.h"

#include <fmt/format.h>

#include "sinew/core/errors.h"
#include "sinew/core/text_file.h"
#include "sinew/core/utc_time.h"

namespace sinew {
namespace fs = std::filesystem;

RunDir RunDir::create(const fs::path& root, const std::string& experiment, const Config& config) {
  const std::string stamp = local_date_time_now();
  fs::path parent = root / experiment;
  fs::path path = parent / stamp;
  try {
    fs::create_directories(parent);
    // two runs started in the same second get _2, _3, ...
    for (int n = 2; !fs::create_directory(path); ++n) {
      path = parent / fmt::format("{}_{}", stamp, n);
      if (n > 1000) throw std::runtime_error("cannot create a run folder in " + parent.string());
    }
    fs::create_directories(path / "checkpoints");
    RunDir dir(path);
    write_file_atomically(dir.config_file(), config.to_yaml());
    return dir;
  } catch (const fs::filesystem_error& e) {
    throw ConfigError("run.dir", fmt::format("run.dir={}: cannot create the run folder {}: {}",
                                             root.string(), path.string(), e.code().message()));
  } catch (const std::runtime_error& e) {  // e.g. write_file_atomically: "No space left"
    throw ConfigError("run.dir", fmt::format("run.dir={}: {}", root.string(), e.what()));
  }
}

RunDir RunDir::open(const fs::path& path) {
  if (!fs::is_regular_file(path / "config.yaml")) {
    throw UserError(fmt::format("{} is not a run folder (no config.yaml)", path.string()));
  }
  fs::create_directories(path / "checkpoints");
  return RunDir(path);
}

}  // namespace sinew
