// A reference to one version of a named model in a model store: `name`, `name:latest`,
// `name:<version>` (e.g. walker:3) or `name:<tag>` (e.g. walker:best).
//
// Names and tags: 1 to 64 characters of [A-Za-z0-9._-], starting with a letter or digit, without
// "..". A tag must not be all digits (that reads as a version) and must not be "latest". These
// rules keep every name and tag a single harmless path component, so a reference can never
// reach outside the store.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sinew {

struct ModelRef {
  enum class Kind {
    kLatest,   // the highest complete version (also a bare `name`)
    kVersion,  // `name:<version>`
    kTag,      // `name:<tag>`
  };

  std::string name;
  Kind kind = Kind::kLatest;
  int64_t version = 0;  // kVersion: 1, 2, ...
  std::string tag;      // kTag
  // True when the text said "latest" or a version or tag after ':' (false for a bare name).
  bool explicit_selector = false;

  // Parses `text` as above. Throws UserError naming the text and the rule it breaks.
  static ModelRef parse(std::string_view text);
  static ModelRef latest(std::string name);
  static ModelRef at_version(std::string name, int64_t version);

  // "walker:latest", "walker:3", "walker:best".
  std::string str() const;
};

// Throw UserError naming `name` (or `tag`) and the rule when it is not a valid model name (tag).
void check_model_name(std::string_view name);
void check_model_tag(std::string_view tag);

// Checks `relative`, a file's path inside a model version as listed in version.json or an
// upload: '/'-separated, relative, components not empty, "." or "..", no NUL or backslash, at
// most 255 bytes a component and 4096 in all. Throws UserError naming the path.
void check_model_file_path(std::string_view relative);

}  // namespace sinew
