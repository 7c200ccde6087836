#include "sinew/cli/config_sources.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "sinew/core/errors.h"

namespace sinew {
namespace fs = std::filesystem;

ConfigComposer composer() {
  std::vector<fs::path> search_path;
  if (const char* path = std::getenv("SINEW_CONFIG_PATH"); path && *path) {
    std::string list(path);
    for (std::size_t start = 0; start <= list.size();) {
      const std::size_t colon = std::min(list.find(':', start), list.size());
      if (colon > start) search_path.emplace_back(list.substr(start, colon - start));
      start = colon + 1;
    }
  }
  return ConfigComposer(resource_root() / "configs", search_path);
}

const std::vector<std::string>& checked_env_overrides(const std::vector<std::string>& overrides) {
  for (const auto& o : overrides) {
    const bool env = o.rfind("env.", 0) == 0, exo = o.rfind("exo.", 0) == 0;
    if ((!env && !exo) || o.find('=') == std::string::npos) {
      throw UserError(fmt::format(
          "'{}': a checkpoint brings its own config; only env.<key>=<value> overrides change "
          "how its episodes run (e.g. env.init_pose=stand), and exo=<device> and "
          "exo.<key>=<value> the device it wears",
          o));
    }
  }
  return overrides;
}

std::vector<std::string> wear_device(Config* config, const std::vector<std::string>& overrides) {
  std::vector<std::string> rest;
  for (const auto& o : overrides) {
    if (o.rfind("exo=", 0) == 0) {
      *config = composer().with_group(*config, "exo", o.substr(4));
    } else {
      rest.push_back(o);
    }
  }
  const bool worn = config->has("exo.name") && config->get_string("exo.name") != "none";
  for (const auto& o : rest) {
    if (!worn && o.rfind("exo.", 0) == 0) {
      throw UserError(fmt::format(
          "'{}': this checkpoint wears no device; choose one first with exo=<device> ({})", o,
          fmt::join(composer().options("exo"), ", ")));
    }
  }
  return rest;
}

Config worn_config(Config config, const std::vector<std::string>& overrides) {
  const std::vector<std::string> rest = checked_env_overrides(wear_device(&config, overrides));
  return rest.empty() ? config : ConfigComposer::apply_overrides(config, rest);
}

}  // namespace sinew
