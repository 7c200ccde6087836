// Error types shared by every layer of sinew.
//
// A UserError is something the user can fix (a config key, a file, a command-line argument):
// the CLI prints its message on one line and exits with code 2. Any other exception is an
// internal failure and exits with code 1. Hot loops never throw; they return values.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace sinew {

// Bad input from the user: config, files, arguments. Exit code 2.
class UserError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A config key that is unknown, of the wrong type or out of range. The message names the key.
class ConfigError : public UserError {
 public:
  ConfigError(std::string key, const std::string& message)
      : UserError("config: " + message), key_(std::move(key)) {}
  // The dotted key the error is about, e.g. "trainer.total_steps".
  const std::string& key() const { return key_; }

 private:
  std::string key_;
};

// `text` as it may appear in an error message: at most `max` characters, then how long it
// was. A 50-million-character value must not be echoed whole.
inline std::string shortened(std::string_view text, std::size_t max = 60) {
  if (text.size() <= max) return std::string(text);
  return std::string(text.substr(0, max)) + "... (" + std::to_string(text.size()) + " characters)";
}

}  // namespace sinew
