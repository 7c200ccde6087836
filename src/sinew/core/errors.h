// Error types shared by every layer of sinew.
//
// A UserError is something the user can fix (a config key, a file, a command-line argument):
// the CLI prints its message on one line and exits with code 2. Any other exception is an
// internal failure and exits with code 1. Hot loops never throw; they return values.
#pragma once

#include <stdexcept>
#include <string>

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

}  // namespace sinew
