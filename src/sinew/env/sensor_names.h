// Names of the sensors an env may offer beside its observation (Env::read_sensor).
#pragma once

namespace sinew {

// Muscle-driven bodies, one value per muscle in action order.
inline constexpr const char* kSensorMuscleFiberLength = "muscle.fiber_length";  // [m]
inline constexpr const char* kSensorMuscleForce = "muscle.force";               // tendon force [N]

}  // namespace sinew
