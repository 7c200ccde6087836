// MetabolicMeasure: Wang 2012's metabolic rate by hand.
#include "sinew/sim/gait/measures/metabolic_measure.h"

#include <gtest/gtest.h>

#include "sinew/sim/gait/measures/all_measures.h"

namespace sinew {
namespace {

// Wang 2012 by hand: u = a = 1, s = 0.5, l = 1 (g = 1), isometric:
//   f_a = 40 * 0.5 * 1 + 133 * 0.5 * 1 = 86.5;  f_m = 74 * 0.5 + 111 * 0.5 = 92.5
//   rate = mass * (86.5 + 92.5) = 179 W/kg of muscle.
// Shortening at 0.1 m/s with F = 1000 N, F_active = 800 N adds 0.25*1000*0.1 + 800*0.1 = 105 W.
TEST(MetabolicMeasure, MatchesWang2012ByHand) {
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, 0, 1000, 800, 1.0), 179.0, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, -0.1, 1000, 800, 1.0), 179.0 + 105.0,
              1e-9);
  // lengthening adds nothing; g(l) = 0 beyond 1.5 leaves only activation heat
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.0, 0.2, 1000, 800, 1.0), 179.0, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(1, 1, 1.6, 0, 0, 0, 2.0), 2 * 86.5, 1e-9);
  EXPECT_NEAR(MetabolicMeasure::muscle_rate_W(0, 0, 1.0, 0, 0, 0, 1.0), 0.0, 1e-12);
  // muscle mass: F_max / 0.25 MPa * l_opt * 1059.7 kg/m^3
  MuscleParameters p;
  p.max_isometric_force_N = 2500;
  p.optimal_fiber_length_m = 0.1;
  EXPECT_NEAR(MetabolicMeasure::muscle_mass_kg(p), 0.01 * 0.1 * 1059.7, 1e-12);
}

}  // namespace
}  // namespace sinew
