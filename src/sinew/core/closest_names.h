// Suggestions for misspelled names ("did you mean ...?").
#pragma once

#include <string>
#include <vector>

namespace sinew {

// Levenshtein edit distance between two strings (insert, delete, substitute cost 1).
int edit_distance(const std::string& a, const std::string& b);

// Up to `max_count` names from `candidates` closest to `name`, best first. Only names whose
// edit distance is at most max(2, name.size() / 3) are returned, or whose last dotted
// segment equals the last segment of `name` (a key put in the wrong section).
std::vector<std::string> closest_names(const std::string& name,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_count = 3);

// "'a', 'b' or 'c'" for messages; empty string for an empty list.
std::string quote_list(const std::vector<std::string>& names);

}  // namespace sinew
