// libFuzzer target: the OpenSim .sto / .mot reader. A UserError is the expected answer to bad
// input; any other exception, a crash, a non-finite value accepted or a hang is a finding.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sinew/core/errors.h"
#include "sinew/sim/motion_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    sinew::MotionTable table = sinew::MotionTable::parse(text, "fuzz.sto");
    for (std::size_t r = 0; r < table.rows(); ++r) {
      if (!std::isfinite(table.times()[r])) std::abort();
      for (std::size_t c = 0; c < table.labels().size(); ++c) {
        if (!std::isfinite(table.value(r, c))) std::abort();
      }
      if (!table.labels().empty()) table.at(table.times()[r] * 0.5, 0);
    }
  } catch (const sinew::UserError&) {
    // bad input, reported to the user
  } catch (const std::exception& e) {
    std::fprintf(stderr, "not a UserError: %s\n", e.what());
    std::abort();
  }
  return 0;
}
