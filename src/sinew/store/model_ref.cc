#include "sinew/store/model_ref.h"

#include <fmt/format.h>

#include <algorithm>

#include "sinew/core/errors.h"

namespace sinew {
namespace {

constexpr std::size_t kMaxNameLength = 64;
constexpr const char* kNameRule =
    "1 to 64 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit, no '..'";

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool all_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// the rule shared by names and tags
bool follows_name_rule(std::string_view text) {
  if (text.empty() || text.size() > kMaxNameLength || !is_alnum(text[0])) return false;
  if (text.find("..") != std::string_view::npos) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_alnum(c) || c == '.' || c == '_' || c == '-'; });
}

}  // namespace

void check_model_name(std::string_view name) {
  if (!follows_name_rule(name)) {
    throw UserError(
        fmt::format("model name '{}' is not allowed: use {}", shortened(name), kNameRule));
  }
}

void check_model_tag(std::string_view tag) {
  if (!follows_name_rule(tag)) {
    throw UserError(
        fmt::format("model tag '{}' is not allowed: use {}", shortened(tag), kNameRule));
  }
  if (all_digits(tag) || tag == "latest") {
    throw UserError(
        fmt::format("model tag '{}' is not allowed: a tag must not be a number "
                    "(that names a version) nor 'latest'",
                    shortened(tag)));
  }
}

void check_model_file_path(std::string_view relative) {
  auto refuse = [&](const char* why) {
    throw UserError(
        fmt::format("model file path '{}' is not allowed: {}", shortened(relative), why));
  };
  if (relative.empty()) refuse("it is empty");
  if (relative.size() > 4096) refuse("longer than 4096 bytes");
  if (relative.find('\0') != std::string_view::npos) refuse("it holds a NUL byte");
  if (relative.find('\\') != std::string_view::npos) refuse("it holds a backslash");
  if (relative.front() == '/') refuse("it must be relative");
  std::size_t start = 0;
  while (true) {
    const std::size_t end = std::min(relative.find('/', start), relative.size());
    const std::string_view part = relative.substr(start, end - start);
    if (part.empty() || part == "." || part == "..") {
      refuse("components must not be empty, '.' or '..'");
    }
    if (part.size() > 255) refuse("a component is longer than 255 bytes");
    if (end == relative.size()) break;
    start = end + 1;
  }
}

ModelRef ModelRef::parse(std::string_view text) {
  ModelRef ref;
  const std::size_t colon = text.find(':');
  ref.name = std::string(text.substr(0, colon));
  if (colon == std::string_view::npos) {
    check_model_name(ref.name);
    return ref;
  }
  check_model_name(ref.name);
  const std::string_view selector = text.substr(colon + 1);
  ref.explicit_selector = true;
  if (selector == "latest") return ref;
  if (all_digits(selector)) {
    // a version: 1 to 12 digits, no leading zero
    if (selector.size() > 12 || selector[0] == '0') {
      throw UserError(
          fmt::format("model reference '{}': version must be a number from 1 without "
                      "leading zeros",
                      shortened(text)));
    }
    ref.kind = Kind::kVersion;
    ref.version = std::stoll(std::string(selector));
    return ref;
  }
  try {
    check_model_tag(selector);
  } catch (const UserError& e) {
    throw UserError(
        fmt::format("model reference '{}': {} (write name, name:latest, "
                    "name:<version> or name:<tag>)",
                    shortened(text), e.what()));
  }
  ref.kind = Kind::kTag;
  ref.tag = std::string(selector);
  return ref;
}

ModelRef ModelRef::latest(std::string name) {
  check_model_name(name);
  ModelRef ref;
  ref.name = std::move(name);
  return ref;
}

ModelRef ModelRef::at_version(std::string name, int64_t version) {
  check_model_name(name);
  if (version < 1) throw UserError(fmt::format("model {}: versions start at 1", name));
  ModelRef ref;
  ref.name = std::move(name);
  ref.kind = Kind::kVersion;
  ref.version = version;
  ref.explicit_selector = true;
  return ref;
}

std::string ModelRef::str() const {
  switch (kind) {
    case Kind::kVersion:
      return fmt::format("{}:{}", name, version);
    case Kind::kTag:
      return name + ":" + tag;
    case Kind::kLatest:
      break;
  }
  return name + ":latest";
}

}  // namespace sinew
