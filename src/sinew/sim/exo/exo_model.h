// The body with a device on it, generated from the ExoSpec rather than from a hand-edited copy
// of the model: the MJCF text of the body gets, for each leg, a motor on the device's joint
// (gear 1, so its control is the joint torque [N m], limited to +-max_torque) and, for each of
// the device's masses, a body with that inertial welded to its segment (pelvis once; femur,
// tibia, calcn on both legs).
#pragma once

#include <string>

#include "sinew/sim/exo/exo_spec.h"

namespace sinew {

// `body_xml` (read from `source`, named in errors) with `exo` added. Throws ConfigError naming
// exo.joint or exo.masses.<name>.segment when the body lacks the joint or the segment.
std::string add_exo_to_mjcf(const std::string& body_xml, const ExoSpec& exo,
                            const std::string& source);

}  // namespace sinew
