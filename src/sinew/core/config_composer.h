// Hydra-style composition of a Config from YAML files and command-line overrides.
//
// Layout of a config directory:
//   sinew.yaml             the base tree; its `defaults:` map chooses an option per group
//   <group>/<option>.yaml  group files (env/, algo/, experiment/); merged under the key <group>,
//                          except experiment files, which are merged at the root
// Overrides, applied in this order:
//   experiment=NAME        selects an experiment; its own `defaults:` may choose env/algo
//   GROUP=OPTION           selects a group file (env=pendulum); wins over the experiment's choice
//   key.sub=value          sets an existing key; the value must have the key's type
//   +key.sub=value         adds a key that does not exist yet
// Unknown keys, groups and options, and values of the wrong type, throw ConfigError with the
// closest valid names. Experiment files may only set keys that exist after groups are merged.
// Options are names (letters, digits, _ and -), never paths. A user's own options live in
// folders of the same layout on an explicit search path (`SINEW_CONFIG_PATH=dir1:dir2` in the
// CLI), searched in order before the shipped configs; they add options to the shipped groups.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "sinew/core/config.h"

namespace sinew {

class ConfigComposer {
 public:
  // `config_dir` holds sinew.yaml and the group folders; `search_path` lists folders with
  // <group>/<option>.yaml files of the user's own, searched first. Throws UserError when a
  // folder does not exist.
  explicit ConfigComposer(std::filesystem::path config_dir,
                          std::vector<std::filesystem::path> search_path = {});

  // Builds the resolved tree. Throws ConfigError / UserError on any bad input. With `origins`,
  // fills it with where each leaf key's value came from: "base (<file>)", "<group>=<option>
  // (<file>)", "experiment '<name>' (<file>)" or "command line".
  //
  // The base's default experiment applies only when the command line chooses no group; a user
  // who chooses env=... or algo=... without experiment=... gets those files' own defaults, and
  // the run is named <env>_<algo> (the `experiment` key, which names the run folder).
  // experiment=none chooses no experiment explicitly.
  Config compose(const std::vector<std::string>& overrides,
                 std::map<std::string, std::string>* origins = nullptr) const;

  // Applies key overrides (no group selection) to an already resolved config.
  static Config apply_overrides(const Config& base, const std::vector<std::string>& overrides);

  // `base` (a resolved config) with its `group` tree replaced by that group's `option` file
  // (e.g. exo=ankle put on a trained walker for `sinew eval`). Throws ConfigError for an
  // unknown group or option.
  Config with_group(const Config& base, const std::string& group, const std::string& option) const;

  // Group names (sorted) and the options available in one group (sorted, without ".yaml").
  std::vector<std::string> groups() const;
  std::vector<std::string> options(const std::string& group) const;
  // The `description:` line of a group file, or "" when it has none.
  std::string description(const std::string& group, const std::string& option) const;

 private:
  YAML::Node load_file(const std::filesystem::path& path) const;
  YAML::Node load_option(const std::string& group, const std::string& option) const;
  // The file of an option: the first <dir>/<group>/<option>.yaml on the search path, then in
  // the shipped configs; empty when there is none.
  std::filesystem::path option_file(const std::string& group, const std::string& option) const;
  // The folders options come from: the search path, then the shipped configs.
  std::vector<std::filesystem::path> option_dirs() const;

  std::filesystem::path dir_;
  std::vector<std::filesystem::path> search_path_;
};

// The folder holding sinew's configs/ and assets/: $SINEW_HOME if set, else the repository the
// running binary was built in (build/sinew -> ..), else the compile-time source directory.
std::filesystem::path resource_root();

}  // namespace sinew
