// The resolved, validated configuration of one run: a YAML tree plus typed accessors.
//
// Keys are dotted paths ("trainer.total_steps"). Every accessor throws ConfigError naming the
// key when it is missing, has the wrong type or is out of range, so a bad value is reported
// where it is read, with the key a user typed. A Config is immutable after composition and
// safe to read from many threads.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sinew {

class Config {
 public:
  Config() = default;
  // Takes ownership of a resolved tree (the caller must not modify it afterwards).
  explicit Config(YAML::Node root);

  // Parses YAML text (as written by to_yaml()); throws UserError naming `source` on bad YAML.
  static Config from_yaml(const std::string& text, const std::string& source);

  bool has(const std::string& key) const;

  // Typed reads. Integers accept "2e5". Bounds are inclusive.
  int64_t get_int(const std::string& key, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max()) const;
  double get_double(const std::string& key, double min = -std::numeric_limits<double>::infinity(),
                    double max = std::numeric_limits<double>::infinity()) const;
  bool get_bool(const std::string& key) const;
  std::string get_string(const std::string& key) const;
  // A string that must be one of `choices`; the error lists them.
  std::string get_choice(const std::string& key, const std::vector<std::string>& choices) const;
  // A sequence of integers, e.g. hidden layer sizes [64, 64]; each element within bounds.
  std::vector<int64_t> get_int_list(const std::string& key, int64_t min, int64_t max) const;

  // The node at `key`, or an invalid node when absent.
  YAML::Node node(const std::string& key) const;
  const YAML::Node& root() const { return root_; }

  // Every leaf key in the tree (dotted), in document order.
  std::vector<std::string> leaf_keys() const;

  // Block-style YAML of the whole tree, stable for equal trees.
  std::string to_yaml() const;
  // SHA-256 (hex) of to_yaml(): identifies a configuration in checkpoints.
  std::string hash() const;

  // Secrets (serve.token) are never written to a file or shown: every config that is persisted
  // (run and checkpoint config.yaml, TensorBoard) or shown (`sinew config`, /api/config) is this
  // copy, where a non-empty secret reads kRedacted. A run resumed from such a file must be
  // given the secret again.
  static constexpr const char* kRedacted = "<redacted>";
  static const std::vector<std::string>& secret_keys();
  Config with_secrets_redacted() const;

 private:
  std::string scalar(const std::string& key) const;

  YAML::Node root_;
};

// Walks a dotted key through maps. Returns an invalid node when a segment is absent.
YAML::Node find_node(const YAML::Node& root, const std::string& dotted_key);

// A YAML tree as JSON: maps become objects, sequences arrays, scalars numbers, booleans, null or
// strings as they read (integers accept 2e5).
nlohmann::json yaml_to_json(const YAML::Node& node);

// Every leaf key below `node`, prefixed with `prefix` ("" for the root).
void collect_leaf_keys(const YAML::Node& node, const std::string& prefix,
                       std::vector<std::string>* out);

}  // namespace sinew
