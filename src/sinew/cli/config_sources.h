// Where a command's config comes from: the shipped configs and the user's own, and what of a
// trained checkpoint's config `sinew eval`, `play` and `exo-optimize` may change.
#pragma once

#include <string>
#include <vector>

#include "sinew/core/config.h"
#include "sinew/core/config_composer.h"

namespace sinew {

// The shipped configs/, after the user's own folders on $SINEW_CONFIG_PATH (dir1:dir2).
ConfigComposer composer();

// A checkpoint's network fits its own body: `overrides` may change how episodes run (env.*: the
// initial pose, a push, the episode length) and the device it wears (exo.<key>=<value>; the
// action stays the body's), nothing else. Returns them; throws UserError naming the first other.
const std::vector<std::string>& checked_env_overrides(const std::vector<std::string>& overrides);

// `config` wearing the device an exo=<device> among `overrides` names (its file from
// composer()); returns the other overrides, for checked_env_overrides.
std::vector<std::string> wear_device(Config* config, const std::vector<std::string>& overrides);
// `config` wearing that device, with the other overrides checked and applied.
Config worn_config(Config config, const std::vector<std::string>& overrides);

}  // namespace sinew
