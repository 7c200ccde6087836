// libFuzzer target: command-line overrides composed against the shipped configs/. Each input
// line is one override ("key=value", "+key=value", "group=option"). A UserError is the
// expected answer to bad input; any other exception, a crash or a hang is a finding.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const sinew::ConfigComposer composer(std::string(SINEW_SOURCE_DIR) + "/configs");
  std::vector<std::string> overrides;
  std::string current;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == '\n') {
      overrides.push_back(current);
      current.clear();
    } else {
      current += static_cast<char>(data[i]);
    }
  }
  overrides.push_back(current);
  try {
    sinew::Config config = composer.compose(overrides);
    config.to_yaml();
    config.with_secrets_redacted();
  } catch (const sinew::UserError&) {
    // bad input, reported to the user
  } catch (const std::exception& e) {
    std::fprintf(stderr, "not a UserError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
