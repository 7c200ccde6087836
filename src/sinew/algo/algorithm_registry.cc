#include "sinew/algo/algorithm_registry.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sinew/algo/mpo/mpo_entry.h"
#include "sinew/algo/ppo/ppo_entry.h"

namespace sinew {

void AlgorithmRegistry::add(AlgorithmEntry entry) {
  for (const auto& e : entries_) {
    if (e.name == entry.name) {
      throw std::logic_error(fmt::format("algorithm '{}' is registered twice", entry.name));
    }
  }
  if (entry.name.empty() || entry.policy_file.empty() || !entry.check_config || !entry.make ||
      !entry.bench || !entry.checkpoint_tensors) {
    throw std::logic_error(fmt::format("algorithm '{}' is registered incomplete", entry.name));
  }
  entries_.push_back(std::move(entry));
}

const AlgorithmEntry& AlgorithmRegistry::at(const Config& config) const {
  // get_choice throws the ConfigError that lists the names
  const std::string name = config.get_choice("algo.name", names());
  for (const auto& e : entries_) {
    if (e.name == name) return e;
  }
  throw std::logic_error("unreachable: get_choice returned an unregistered name");
}

std::vector<std::string> AlgorithmRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& e : entries_) out.push_back(e.name);
  return out;
}

const AlgorithmRegistry& algorithms() {
  static const AlgorithmRegistry registry = [] {
    AlgorithmRegistry r;
    // one line per algorithm (its folder under algo/ and configs/algo/<name>.yaml)
    r.add(ppo_entry());
    r.add(mpo_entry());
    return r;
  }();
  return registry;
}

}  // namespace sinew
