#include "sinew/core/config_composer.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>

#include "sinew/core/closest_names.h"
#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

constexpr const char* kExperimentGroup = "experiment";

struct Override {
  std::string key;
  std::string value;
  bool add = false;  // written as +key=value
};

constexpr int kMaxKeyDepth = 16;      // levels in a dotted key
constexpr int kMaxValueDepth = 32;    // nesting of a YAML value given on the command line
constexpr std::size_t kMaxName = 64;  // characters in one key segment or group option

bool valid_name(const std::string& name) {
  if (name.empty() || name.size() > kMaxName) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

bool valid_key(const std::string& key) {
  int depth = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = key.find('.', start);
    if (!valid_name(key.substr(start, dot - start)) || ++depth > kMaxKeyDepth) return false;
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

int yaml_depth(const YAML::Node& node) {
  int deepest = 0;
  if (node.IsMap()) {
    for (const auto& item : node) deepest = std::max(deepest, yaml_depth(item.second));
  } else if (node.IsSequence()) {
    for (const auto& item : node) deepest = std::max(deepest, yaml_depth(item));
  } else {
    return 0;
  }
  return deepest + 1;
}

// Nesting of flow brackets ([ and {) in YAML text, outside quotes: checked before parsing, so
// a 10,000-deep value never reaches yaml-cpp's recursion (whose error reads "bad file").
int flow_depth(const std::string& text) {
  int depth = 0, deepest = 0;
  char quote = 0;
  for (char c : text) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// A value given on the command line as YAML, with errors that name the key.
YAML::Node load_value(const std::string& key, const std::string& value) {
  auto too_deep = [&key] {
    return ConfigError(
        key, fmt::format("value for '{}' nests deeper than {} levels", key, kMaxValueDepth));
  };
  if (flow_depth(value) > kMaxValueDepth) throw too_deep();
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(key, fmt::format("value '{}' for '{}' is not valid YAML: {}",
                                       shortened(value), key, e.msg));
  }
  if (yaml_depth(parsed) > kMaxValueDepth) throw too_deep();  // block style, by indentation
  return parsed;
}

Override parse_override(const std::string& text) {
  auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) {
    throw UserError(fmt::format(
        "argument '{}' is not an override; write key=value (e.g. trainer.total_steps=2e5)",
        shortened(text)));
  }
  Override o;
  o.key = text.substr(0, eq);
  o.value = text.substr(eq + 1);
  if (o.key[0] == '+') {
    o.add = true;
    o.key = o.key.substr(1);
  }
  if (!valid_key(o.key)) {
    throw UserError(
        fmt::format("override '{}' has a malformed key (dotted names of letters, "
                    "digits, _ and -, at most {} levels)",
                    shortened(text), kMaxKeyDepth));
  }
  return o;
}

// Deep-merges `src` into `dst` (maps merge, everything else replaces; a map tagged `!replace`
// replaces the map it would merge into, e.g. an experiment's own reward terms). With `strict`,
// every key of `src` must already exist in `dst`; `where` names the source for the error.
void merge_into(YAML::Node dst, const YAML::Node& src, const std::string& prefix, bool strict,
                const std::string& where, const YAML::Node& root) {
  for (const auto& item : src) {
    std::string key = item.first.as<std::string>();
    std::string dotted = prefix.empty() ? key : prefix + "." + key;
    const YAML::Node& const_dst = dst;
    YAML::Node existing = const_dst[key];
    if (!existing.IsDefined()) {
      if (strict) {
        std::vector<std::string> keys;
        collect_leaf_keys(root, "", &keys);
        auto near = closest_names(dotted, keys);
        throw ConfigError(
            dotted, fmt::format("{} sets unknown key '{}'{}", where, dotted,
                                near.empty() ? "" : "; did you mean " + quote_list(near) + "?"));
      }
      dst[key] = YAML::Clone(item.second);
    } else if (existing.IsMap() && item.second.IsMap() && item.second.Tag() == "!replace") {
      YAML::Node replacement = YAML::Clone(item.second);
      replacement.SetTag("");
      dst[key] = replacement;
    } else if (existing.IsMap() && item.second.IsMap()) {
      merge_into(existing, item.second, dotted, strict, where, root);
    } else {
      dst[key] = YAML::Clone(item.second);
    }
  }
}

// Checks that `value` fits the type of the existing node and returns the node to store.
YAML::Node typed_value(const std::string& key, const YAML::Node& existing,
                       const std::string& value) {
  if (existing.IsMap()) {
    std::vector<std::string> keys;
    collect_leaf_keys(existing, key, &keys);
    throw ConfigError(key, fmt::format("'{}' is a section; set one of its keys, e.g. '{}'", key,
                                       keys.empty() ? key : keys.front()));
  }
  YAML::Node parsed = load_value(key, value);
  if (existing.IsSequence()) {
    if (!parsed.IsSequence()) {
      throw ConfigError(
          key, fmt::format("'{}' must be a list like [64, 64], got '{}'", key, shortened(value)));
    }
    return parsed;
  }
  if (!existing.IsScalar()) return parsed;  // null: anything goes
  ScalarKind want = classify_scalar(existing.Scalar());
  if (want == ScalarKind::kNull || want == ScalarKind::kString) {
    if (parsed.IsMap() || parsed.IsSequence()) {
      throw ConfigError(
          key, fmt::format("'{}' must be a single value, got '{}'", key, shortened(value)));
    }
    return YAML::Node(value);
  }
  bool ok = false;
  switch (want) {
    case ScalarKind::kBool:
      ok = parse_bool(value).has_value();
      break;
    case ScalarKind::kInt:
      ok = parse_int(value).has_value();
      break;
    case ScalarKind::kFloat:
      ok = parse_double(value).has_value();
      break;
    default:
      ok = true;
  }
  if (!ok) {
    throw ConfigError(key,
                      fmt::format("'{}' must be {} {} (like its default '{}'), got '{}'", key,
                                  want == ScalarKind::kInt ? "an" : "a", scalar_kind_name(want),
                                  existing.Scalar(), shortened(value)));
  }
  return YAML::Node(value);
}

void set_key(YAML::Node root, const Override& o) {
  // walk to the parent, creating sections only for + keys
  YAML::Node parent = root;
  std::size_t start = 0;
  std::string segment;
  std::string walked;
  while (true) {
    std::size_t dot = o.key.find('.', start);
    segment = o.key.substr(start, dot - start);
    if (dot == std::string::npos) break;
    walked = walked.empty() ? segment : walked + "." + segment;
    const YAML::Node& const_parent = parent;
    if (!const_parent[segment].IsDefined()) {
      if (!o.add) break;  // reported below as an unknown key
      parent[segment] = YAML::Node(YAML::NodeType::Map);
    } else if (!const_parent[segment].IsMap()) {
      throw ConfigError(o.key, fmt::format("'{}' is a value, not a section", walked));
    }
    YAML::Node child = parent[segment];  // exists now: a valid handle to rebind to
    parent.reset(child);
    start = dot + 1;
  }
  YAML::Node existing = find_node(root, o.key);
  if (o.add) {
    if (existing.IsDefined()) {
      throw ConfigError(o.key,
                        fmt::format("'{}' already exists; drop the '+' to change it", o.key));
    }
    parent[segment] = load_value(o.key, o.value);
    return;
  }
  if (!existing.IsDefined()) {
    std::vector<std::string> keys;
    collect_leaf_keys(root, "", &keys);
    auto near = closest_names(o.key, keys);
    throw ConfigError(o.key, fmt::format("unknown key '{}'{}", o.key,
                                         near.empty() ? "; use +" + o.key + "=... to add it"
                                                      : "; did you mean " + quote_list(near) +
                                                            "? (+" + o.key + "=... adds it)"));
  }
  parent[segment] = typed_value(o.key, existing, o.value);
}

}  // namespace

ConfigComposer::ConfigComposer(fs::path config_dir, std::vector<fs::path> search_path)
    : dir_(std::move(config_dir)), search_path_(std::move(search_path)) {
  if (!fs::is_regular_file(dir_ / "sinew.yaml")) {
    throw UserError(
        fmt::format("config directory {} has no sinew.yaml (set SINEW_HOME to the "
                    "folder holding configs/)",
                    dir_.string()));
  }
  for (const auto& dir : search_path_) {
    if (!fs::is_directory(dir)) {
      throw UserError(fmt::format("config search path: {} is not a folder", dir.string()));
    }
  }
}

YAML::Node ConfigComposer::load_file(const fs::path& path) const {
  try {
    YAML::Node node = YAML::LoadFile(path.string());
    if (node.IsNull()) return YAML::Node(YAML::NodeType::Map);
    if (!node.IsMap()) throw UserError(fmt::format("{}: expected a map of keys", path.string()));
    return node;
  } catch (const YAML::BadFile&) {
    throw UserError(fmt::format("cannot read config file {}", path.string()));
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}:{}: invalid YAML: {}", path.string(), e.mark.line + 1, e.msg));
  }
}

std::vector<std::string> ConfigComposer::groups() const {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> ConfigComposer::option_dirs() const {
  std::vector<fs::path> dirs = search_path_;
  dirs.push_back(dir_);
  return dirs;
}

std::vector<std::string> ConfigComposer::options(const std::string& group) const {
  std::vector<std::string> out;
  for (const auto& dir : option_dirs()) {
    if (!fs::is_directory(dir / group)) continue;
    for (const auto& entry : fs::directory_iterator(dir / group)) {
      const std::string stem = entry.path().stem().string();
      if (entry.path().extension() == ".yaml" && valid_name(stem)) out.push_back(stem);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

fs::path ConfigComposer::option_file(const std::string& group, const std::string& option) const {
  for (const auto& dir : option_dirs()) {
    fs::path file = dir / group / (option + ".yaml");
    if (fs::is_regular_file(file)) return file;
  }
  return {};
}

std::string ConfigComposer::description(const std::string& group, const std::string& option) const {
  YAML::Node node = load_option(group, option);
  const YAML::Node& c = node;
  return c["description"] ? c["description"].as<std::string>() : "";
}

YAML::Node ConfigComposer::load_option(const std::string& group, const std::string& option) const {
  // options are names of files in configs/<group>/, never paths
  if (!valid_name(group)) {
    throw ConfigError(group, fmt::format("'{}' is not a config group name", shortened(group)));
  }
  if (!valid_name(option)) {
    throw ConfigError(group, fmt::format("{}='{}': an option is a name from {} (letters, "
                                         "digits, _ and -), not a path; available: {}",
                                         group, shortened(option), (dir_ / group).string(),
                                         quote_list(options(group))));
  }
  fs::path path = option_file(group, option);
  if (path.empty()) {
    auto available = options(group);
    auto near = closest_names(option, available);
    throw ConfigError(group, fmt::format("no {} named '{}'{}; available: {}", group, option,
                                         near.empty() ? "" : " (did you mean '" + near[0] + "'?)",
                                         quote_list(available)));
  }
  return load_file(path);
}

Config ConfigComposer::compose(const std::vector<std::string>& overrides,
                               std::map<std::string, std::string>* origins) const {
  // origins: every leaf key a layer sets is attributed to that layer; later layers win
  auto attribute = [origins](const YAML::Node& layer, const std::string& prefix,
                             const std::string& origin) {
    if (!origins) return;
    std::vector<std::string> keys;
    collect_leaf_keys(layer, prefix, &keys);
    for (const auto& key : keys) (*origins)[key] = origin;
  };
  YAML::Node base = load_file(dir_ / "sinew.yaml");
  const auto group_names = groups();
  auto is_group = [&](const std::string& key) {
    return std::find(group_names.begin(), group_names.end(), key) != group_names.end();
  };

  // split the command line into group selections and key overrides
  std::map<std::string, std::string> chosen;  // group -> option from the command line
  std::vector<Override> key_overrides;
  for (const auto& text : overrides) {
    Override o = parse_override(text);
    if (!o.add && is_group(o.key)) {
      chosen[o.key] = o.value;
    } else {
      key_overrides.push_back(o);
    }
  }

  // group choices: base defaults, then the experiment's, then the command line
  std::map<std::string, std::string> selection;
  const YAML::Node& const_base = base;
  if (const_base["defaults"]) {
    for (const auto& item : const_base["defaults"]) {
      selection[item.first.as<std::string>()] = item.second.as<std::string>();
    }
  }
  // the base's default experiment applies only when the command line chooses no group: a user
  // who picks env=mjcf gets the env's and the algorithm's own defaults, not the pendulum's
  if (!chosen.empty()) selection.erase(kExperimentGroup);
  if (chosen.count(kExperimentGroup)) selection[kExperimentGroup] = chosen[kExperimentGroup];
  if (selection.count(kExperimentGroup) && selection[kExperimentGroup] == "none") {
    selection.erase(kExperimentGroup);
  }
  YAML::Node experiment;
  std::string experiment_name =
      selection.count(kExperimentGroup) ? selection[kExperimentGroup] : "";
  if (!experiment_name.empty()) {
    experiment = load_option(kExperimentGroup, experiment_name);
    const YAML::Node& const_experiment = experiment;
    if (const_experiment["defaults"]) {
      for (const auto& item : const_experiment["defaults"]) {
        selection[item.first.as<std::string>()] = item.second.as<std::string>();
      }
    }
  }
  for (const auto& [group, option] : chosen) selection[group] = option;

  // the tree: base, then each group file under its key, then the experiment at the root
  YAML::Node root = YAML::Clone(base);
  root.remove("defaults");
  attribute(root, "", "base (" + (dir_ / "sinew.yaml").string() + ")");
  for (const auto& [group, option] : selection) {
    if (group == kExperimentGroup) continue;
    if (!is_group(group)) {
      auto near = closest_names(group, group_names);
      throw ConfigError(group,
                        fmt::format("unknown config group '{}'{}", group,
                                    near.empty() ? "" : "; did you mean '" + near[0] + "'?"));
    }
    YAML::Node file = load_option(group, option);
    file.remove("description");
    if (!root[group] || !root[group].IsMap()) root[group] = YAML::Node(YAML::NodeType::Map);
    merge_into(root[group], file, group, /*strict=*/false, "", root);
    attribute(file, group, group + "=" + option + " (" + option_file(group, option).string() + ")");
  }
  if (!experiment_name.empty()) {
    YAML::Node body = YAML::Clone(experiment);
    body.remove("defaults");
    body.remove("description");
    std::string where = fmt::format("experiment '{}' ({})", experiment_name,
                                    option_file(kExperimentGroup, experiment_name).string());
    merge_into(root, body, "", /*strict=*/true, where, root);
    attribute(body, "", where);
  }
  // the run's name (and run folder): the experiment, or what ran without one (env_algo)
  const std::string env_algo = (selection.count("env") ? selection["env"] : "env") + "_" +
                               (selection.count("algo") ? selection["algo"] : "algo");
  root[kExperimentGroup] = experiment_name.empty() ? env_algo : experiment_name;
  if (origins) {
    (*origins)[kExperimentGroup] =
        experiment_name.empty() ? "no experiment: env_algo" : "experiment=" + experiment_name;
  }

  // key overrides last, type-checked against what they replace
  for (const auto& o : key_overrides) {
    set_key(root, o);
    if (origins) {
      attribute(find_node(root, o.key), o.key, "command line");
    }
  }
  if (origins) {
    // keep only keys of the final tree
    std::vector<std::string> keys;
    collect_leaf_keys(root, "", &keys);
    std::map<std::string, std::string> kept;
    for (const auto& key : keys) kept[key] = (*origins)[key];
    origins->swap(kept);
  }
  return Config(root);
}

Config ConfigComposer::with_group(const Config& base, const std::string& group,
                                  const std::string& option) const {
  const auto group_names = groups();
  if (std::find(group_names.begin(), group_names.end(), group) == group_names.end()) {
    throw ConfigError(group, fmt::format("unknown config group '{}'", group));
  }
  YAML::Node file = load_option(group, option);
  file.remove("description");
  YAML::Node root = YAML::Clone(base.root());
  root[group] = file;
  return Config(root);
}

Config ConfigComposer::apply_overrides(const Config& base,
                                       const std::vector<std::string>& overrides) {
  YAML::Node root = YAML::Clone(base.root());
  for (const auto& text : overrides) set_key(root, parse_override(text));
  return Config(root);
}

fs::path resource_root() {
  if (const char* home = std::getenv("SINEW_HOME"); home && *home) return fs::path(home);
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (fs::is_regular_file(dir / "configs" / "sinew.yaml")) return dir;
    }
  }
#ifdef SINEW_SOURCE_DIR
  return fs::path(SINEW_SOURCE_DIR);
#else
  return fs::current_path();
#endif
}

}  // namespace sinew
