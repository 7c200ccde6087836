// Timestamps written into files (checkpoint manifests, model store versions, exported policies).
#pragma once

#include <string>

namespace sinew {

// The current time as ISO-8601 UTC ("2024-05-01T12:00:00Z").
std::string iso_time_utc_now();

}  // namespace sinew
