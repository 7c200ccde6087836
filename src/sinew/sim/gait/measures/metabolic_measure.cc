#include "sinew/sim/gait/measures/metabolic_measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace sinew {

double MetabolicMeasure::muscle_mass_kg(const MuscleParameters& p) {
  constexpr double kSpecificTension_Pa = 0.25e6, kDensity = 1059.7;
  return p.max_isometric_force_N / kSpecificTension_Pa * p.optimal_fiber_length_m * kDensity;
}

double MetabolicMeasure::muscle_rate_W(double u, double a, double l, double v, double force,
                                       double active_force, double mass) {
  constexpr double s = 0.5;  // slow-twitch ratio
  const double activation_heat =
      40 * s * std::sin(M_PI_2 * u) + 133 * (1 - s) * (1 - std::cos(M_PI_2 * u));
  const double maintenance =
      74 * s * std::sin(M_PI_2 * a) + 111 * (1 - s) * (1 - std::cos(M_PI_2 * a));
  double g = 0;
  if (l < 0.5) {
    g = 0.5;
  } else if (l < 1.0) {
    g = l;
  } else if (l < 1.5) {
    g = -2 * l + 3;
  }
  return mass * (activation_heat + g * maintenance) + std::max(0.0, 0.25 * force * -v) +
         std::max(0.0, active_force * -v);
}

double MetabolicMeasure::value(const GaitSample& s) {
  double total = 1.51 * s.body_mass_kg;  // basal
  for (const auto& mu : s.muscles) {
    const auto& st = mu.state();
    const auto& p = mu.parameters();
    total += muscle_rate_W(st.excitation, st.activation,
                           st.fiber_length_m / p.optimal_fiber_length_m, st.fiber_velocity_mps,
                           st.force_N, st.active_fiber_force_N, muscle_mass_kg(p));
  }
  return per_kg_ ? total / s.body_mass_kg : total;
}

std::string MetabolicMeasure::what() const {
  return per_kg_ ? "Wang 2012 metabolic power per body mass [W/kg]"
                 : "Wang 2012 metabolic power [W]";
}

MeasureEntry metabolic_measure_entry() {
  MeasureEntry e;
  e.name = "metabolic";
  e.read = [](const MeasureKeys& k) -> MeasureMaker {
    const Config& config = k.config;
    const std::string& key = k.key;
    bool per_kg = config.get_bool(key + ".per_kg");
    return [per_kg] { return std::make_unique<MetabolicMeasure>(per_kg); };
  };
  return e;
}

}  // namespace sinew
