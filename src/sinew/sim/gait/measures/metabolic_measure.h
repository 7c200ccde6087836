#pragma once

#include <string>

#include "sinew/sim/gait/measures/gait_measure.h"
#include "sinew/sim/gait/measures/measure_entry.h"
#include "sinew/sim/gait/muscle_tendon_unit.h"

namespace sinew {

// Wang et al. 2012 metabolic power [W] over all muscles plus 1.51 W/kg basal, per body mass
// (W/kg) when `per_kg` (REFERENCE.md section 4). Slow-twitch ratio 0.5, muscle mass from
// specific tension 0.25 MPa and density 1059.7 kg/m^3.
class MetabolicMeasure : public GaitMeasure {
 public:
  explicit MetabolicMeasure(bool per_kg) : per_kg_(per_kg) {}
  double value(const GaitSample& s) override;
  std::string what() const override;
  // One muscle's rate [W]: u excitation, a activation, l normalized fiber length, v fiber
  // velocity [m/s] (< 0 shortening), force and active force [N], mass [kg].
  static double muscle_rate_W(double u, double a, double l_norm, double v_mps, double force_N,
                              double active_force_N, double mass_kg);
  static double muscle_mass_kg(const MuscleParameters& p);

 private:
  bool per_kg_;
};

// Reads env.reward.<term>.* for measure: metabolic (measure_registry.h).
MeasureEntry metabolic_measure_entry();

}  // namespace sinew
