// Entries chosen by name from a config key (env.name, algo.name, a reward term's measure): each
// kind of thing registers its entries once, in order, and everything that used to switch on the
// name asks the registry. An Entry has a `name` and `bool complete() const` (every function it
// must provide is set). Read-only after construction, so safe to read from any thread.
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sinew/core/config.h"

namespace sinew {

template <typename Entry>
class NameRegistry {
 public:
  // `kind` names the entries in errors ("env", "algorithm", "measure").
  explicit NameRegistry(std::string kind) : kind_(std::move(kind)) {}

  // Adds `entry`; throws std::logic_error when its name is taken or it is not complete().
  void add(Entry entry) {
    for (const auto& e : entries_) {
      if (e.name == entry.name) {
        throw std::logic_error(fmt::format("{} '{}' is registered twice", kind_, entry.name));
      }
    }
    if (entry.name.empty() || !entry.complete()) {
      throw std::logic_error(fmt::format("{} '{}' is registered incomplete", kind_, entry.name));
    }
    entries_.push_back(std::move(entry));
  }

  // The entry whose name `config` holds at `key`; throws ConfigError naming the key and listing
  // the registered names (with the closest one) when there is none.
  const Entry& at(const Config& config, const std::string& key) const {
    const std::string name = config.get_choice(key, names());
    for (const auto& e : entries_) {
      if (e.name == name) return e;
    }
    throw std::logic_error("unreachable: get_choice returned an unregistered name");
  }

  // Registered names in registration order.
  std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.name);
    return out;
  }
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::string kind_;
  std::vector<Entry> entries_;
};

}  // namespace sinew
