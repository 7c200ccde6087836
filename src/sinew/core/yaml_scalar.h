// Parsing and classifying YAML scalars the way sinew's config needs: integers accept
// scientific notation when the value is integral ("2e5" is 200000), booleans are
// true/false/yes/no/on/off, and every parse failure returns nullopt instead of throwing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace sinew {

enum class ScalarKind { kNull, kBool, kInt, kFloat, kString };

// The kind a scalar's text reads as (an unquoted YAML scalar). "2e5" reads as kInt.
ScalarKind classify_scalar(const std::string& text);
const char* scalar_kind_name(ScalarKind kind);

std::optional<int64_t> parse_int(const std::string& text);
std::optional<double> parse_double(const std::string& text);
std::optional<bool> parse_bool(const std::string& text);

}  // namespace sinew
