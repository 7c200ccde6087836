// The shipped configuration (configs/ of this source tree) composed with `overrides`: where tests
// get option defaults, which live only in the YAML files.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/core/config_composer.h"

namespace sinew {

inline Config shipped_config(const std::vector<std::string>& overrides) {
  return ConfigComposer(std::filesystem::path(SINEW_SOURCE_DIR) / "configs").compose(overrides);
}

}  // namespace sinew
