// Timestamps written into files (checkpoint manifests, model store versions, exported policies).
#pragma once

#include <string>

namespace sinew {

// The current time as ISO-8601 UTC ("2024-05-01T12:00:00Z").
std::string iso_time_utc_now();

// The current local time as a folder name ("2024-05-01_14-00-00"): run folders, study folders.
std::string local_date_time_now();

}  // namespace sinew
