#include "sinew/core/closest_names.h"

#include <algorithm>
#include <utility>

namespace sinew {

int edit_distance(const std::string& a, const std::string& b) {
  std::vector<int> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    int diagonal = row[0];
    row[0] = static_cast<int>(i);
    for (std::size_t j = 1; j <= b.size(); ++j) {
      int above = row[j];
      int substitute = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitute});
      diagonal = above;
    }
  }
  return row[b.size()];
}

namespace {
std::string last_segment(const std::string& key) {
  auto dot = key.rfind('.');
  return dot == std::string::npos ? key : key.substr(dot + 1);
}
}  // namespace

std::vector<std::string> closest_names(const std::string& name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_count) {
  const int limit = std::max<int>(2, static_cast<int>(name.size()) / 3);
  const std::string tail = last_segment(name);
  std::vector<std::pair<int, std::string>> scored;
  for (const auto& candidate : candidates) {
    int distance = edit_distance(name, candidate);
    // a key placed under the wrong section still matches by its last segment
    if (distance > limit && last_segment(candidate) == tail) distance = limit;
    if (distance <= limit) scored.emplace_back(distance, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> result;
  for (const auto& [distance, candidate] : scored) {
    if (result.size() == max_count) break;
    result.push_back(candidate);
  }
  return result;
}

std::string quote_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += "'" + names[i] + "'";
  }
  return out;
}

}  // namespace sinew
