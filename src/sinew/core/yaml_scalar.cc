#include "sinew/core/yaml_scalar.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>

namespace sinew {

std::optional<double> parse_double(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  double value = 0;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    // YAML spellings of infinity and not-a-number
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    if (lower == ".inf" || lower == "+.inf") return std::numeric_limits<double>::infinity();
    if (lower == "-.inf") return -std::numeric_limits<double>::infinity();
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> parse_int(const std::string& text) {
  if (text.empty()) return std::nullopt;
  // plain integers first, so large values keep full precision
  const char* begin = text.data();
  if (*begin == '+') ++begin;
  int64_t value = 0;
  auto [end, ec] = std::from_chars(begin, text.data() + text.size(), value);
  if (ec == std::errc() && end == text.data() + text.size()) return value;
  // then scientific notation with an integral value: 2e5, 1.5e3
  auto as_double = parse_double(text);
  if (!as_double || !std::isfinite(*as_double)) return std::nullopt;
  if (std::floor(*as_double) != *as_double) return std::nullopt;
  if (std::fabs(*as_double) > 9.0e18) return std::nullopt;
  if (text.find_first_of("eE") == std::string::npos) return std::nullopt;  // "3.0" is a float
  return static_cast<int64_t>(*as_double);
}

std::optional<bool> parse_bool(const std::string& text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  if (lower == "true" || lower == "yes" || lower == "on") return true;
  if (lower == "false" || lower == "no" || lower == "off") return false;
  return std::nullopt;
}

ScalarKind classify_scalar(const std::string& text) {
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return ScalarKind::kNull;
  }
  if (parse_bool(text)) return ScalarKind::kBool;
  if (parse_int(text)) return ScalarKind::kInt;
  if (parse_double(text)) return ScalarKind::kFloat;
  return ScalarKind::kString;
}

const char* scalar_kind_name(ScalarKind kind) {
  switch (kind) {
    case ScalarKind::kNull:
      return "null";
    case ScalarKind::kBool:
      return "boolean";
    case ScalarKind::kInt:
      return "integer";
    case ScalarKind::kFloat:
      return "number";
    case ScalarKind::kString:
      return "string";
  }
  return "?";
}

}  // namespace sinew
