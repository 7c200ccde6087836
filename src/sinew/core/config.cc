#include "sinew/core/config.h"

#include <fmt/format.h>

#include "sinew/core/closest_names.h"
#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {

YAML::Node find_node(const YAML::Node& root, const std::string& dotted_key) {
  YAML::Node current = root;  // yaml-cpp nodes are handles; reassigning rebinds here
  std::size_t start = 0;
  while (true) {
    std::size_t dot = dotted_key.find('.', start);
    std::string segment = dotted_key.substr(start, dot - start);
    if (!current.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node& as_const = current;
    YAML::Node child = as_const[segment];
    if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    current.reset(child);
    if (dot == std::string::npos) return current;
    start = dot + 1;
  }
}

void collect_leaf_keys(const YAML::Node& node, const std::string& prefix,
                       std::vector<std::string>* out) {
  if (node.IsMap()) {
    for (const auto& item : node) {
      std::string key = item.first.as<std::string>();
      collect_leaf_keys(item.second, prefix.empty() ? key : prefix + "." + key, out);
    }
  } else if (!prefix.empty()) {
    out->push_back(prefix);
  }
}

nlohmann::json yaml_to_json(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& item : node) out[item.first.as<std::string>()] = yaml_to_json(item.second);
    return out;
  }
  if (node.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : node) out.push_back(yaml_to_json(item));
    return out;
  }
  if (!node.IsScalar()) return nullptr;
  const std::string& text = node.Scalar();
  switch (classify_scalar(text)) {
    case ScalarKind::kNull:
      return nullptr;
    case ScalarKind::kBool:
      return *parse_bool(text);
    case ScalarKind::kInt:
      return *parse_int(text);
    case ScalarKind::kFloat:
      return *parse_double(text);
    case ScalarKind::kString:
      return text;
  }
  return text;
}

Config::Config(YAML::Node root) : root_(std::move(root)) {}

Config Config::from_yaml(const std::string& text, const std::string& source) {
  try {
    return Config(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    throw UserError(fmt::format("{}:{}: invalid YAML: {}", source, e.mark.line + 1, e.msg));
  }
}

bool Config::has(const std::string& key) const { return find_node(root_, key).IsDefined(); }

YAML::Node Config::node(const std::string& key) const { return find_node(root_, key); }

std::string Config::scalar(const std::string& key) const {
  YAML::Node n = find_node(root_, key);
  if (!n.IsDefined()) {
    auto near = closest_names(key, leaf_keys());
    std::string hint = near.empty() ? "" : "; did you mean " + quote_list(near) + "?";
    throw ConfigError(key, fmt::format("missing key '{}'{}", key, hint));
  }
  if (!n.IsScalar()) throw ConfigError(key, fmt::format("'{}' must be a single value", key));
  return n.Scalar();
}

int64_t Config::get_int(const std::string& key, int64_t min, int64_t max) const {
  std::string text = scalar(key);
  auto value = parse_int(text);
  if (!value)
    throw ConfigError(key, fmt::format("'{}' must be an integer, got '{}'", key, shortened(text)));
  if (*value < min || *value > max) {
    throw ConfigError(key, fmt::format("'{}' must be in [{}, {}], got {}", key, min, max, *value));
  }
  return *value;
}

double Config::get_double(const std::string& key, double min, double max) const {
  std::string text = scalar(key);
  auto value = parse_double(text);
  if (!value)
    throw ConfigError(key, fmt::format("'{}' must be a number, got '{}'", key, shortened(text)));
  if (!(*value >= min && *value <= max)) {
    throw ConfigError(key, fmt::format("'{}' must be in [{}, {}], got {}", key, min, max, *value));
  }
  return *value;
}

bool Config::get_bool(const std::string& key) const {
  std::string text = scalar(key);
  auto value = parse_bool(text);
  if (!value) {
    throw ConfigError(key,
                      fmt::format("'{}' must be true or false, got '{}'", key, shortened(text)));
  }
  return *value;
}

std::string Config::get_string(const std::string& key) const { return scalar(key); }

std::string Config::get_choice(const std::string& key,
                               const std::vector<std::string>& choices) const {
  std::string value = scalar(key);
  for (const auto& c : choices) {
    if (c == value) return value;
  }
  auto near = closest_names(value, choices);
  throw ConfigError(
      key, fmt::format("'{}' must be one of {}, got '{}'{}", key, quote_list(choices),
                       shortened(value), near.empty() ? "" : "; did you mean '" + near[0] + "'?"));
}

std::vector<int64_t> Config::get_int_list(const std::string& key, int64_t min, int64_t max) const {
  YAML::Node n = find_node(root_, key);
  if (!n.IsDefined()) scalar(key);  // throws the missing-key error with suggestions
  if (!n.IsSequence()) {
    throw ConfigError(key, fmt::format("'{}' must be a list of integers like [64, 64]", key));
  }
  std::vector<int64_t> out;
  for (const auto& item : n) {
    auto value = item.IsScalar() ? parse_int(item.Scalar()) : std::nullopt;
    if (!value || *value < min || *value > max) {
      throw ConfigError(key, fmt::format("'{}' must hold integers in [{}, {}]", key, min, max));
    }
    out.push_back(*value);
  }
  return out;
}

std::vector<std::string> Config::leaf_keys() const {
  std::vector<std::string> keys;
  collect_leaf_keys(root_, "", &keys);
  return keys;
}

std::string Config::to_yaml() const {
  YAML::Emitter out;
  out << root_;
  return std::string(out.c_str()) + "\n";
}

std::string Config::hash() const { return sha256_hex(to_yaml()); }

const std::vector<std::string>& Config::secret_keys() {
  static const std::vector<std::string> keys = {"serve.token"};
  return keys;
}

Config Config::with_secrets_redacted() const {
  YAML::Node copy = YAML::Clone(root_);
  for (const auto& key : secret_keys()) {
    YAML::Node node = find_node(copy, key);
    if (node.IsDefined() && node.IsScalar() && !node.Scalar().empty()) node = kRedacted;
  }
  return Config(copy);
}

}  // namespace sinew
