#include "sinew/sim/gait/muscle_curves.h"

#include <cmath>

namespace sinew::muscle {
namespace {

constexpr double kGamma = 0.45;
constexpr double kPassiveK = 4.0;
constexpr double kPassiveStrain = 0.6;
constexpr double kTendonStrainAtMax = 0.049;
constexpr double kToeK = 3.0;
constexpr double kToeForce = 0.33;
constexpr double kToeStrain = 0.609 * kTendonStrainAtMax;
constexpr double kLinearK = 1.712 / kTendonStrainAtMax;
constexpr double kEccentricC = (kEccentricPlateau - 1.0) / (1.0 + 1.0 / kHillShapeA);

}  // namespace

double active_force_length(double l) { return std::exp(-(l - 1.0) * (l - 1.0) / kGamma); }

double force_velocity(double v) {
  if (v <= -1.0) return 0.0;
  if (v <= 0.0) return (1.0 + v) / (1.0 - v / kHillShapeA);
  return kEccentricPlateau - (kEccentricPlateau - 1.0) * kEccentricC / (kEccentricC + v);
}

double passive_force_length(double l) {
  if (l <= 1.0) return 0.0;
  return (std::exp(kPassiveK * (l - 1.0) / kPassiveStrain) - 1.0) / (std::exp(kPassiveK) - 1.0);
}

double tendon_force_strain(double e) {
  if (e <= 0.0) return 0.0;
  if (e <= kToeStrain) {
    return kToeForce * (std::exp(kToeK * e / kToeStrain) - 1.0) / (std::exp(kToeK) - 1.0);
  }
  return kLinearK * (e - kToeStrain) + kToeForce;
}

double tendon_strain_at_force(double f) {
  if (f <= 0.0) return 0.0;
  if (f <= kToeForce) {
    return kToeStrain / kToeK * std::log(1.0 + f * (std::exp(kToeK) - 1.0) / kToeForce);
  }
  return kToeStrain + (f - kToeForce) / kLinearK;
}

}  // namespace sinew::muscle
