// The normalized curves of sinew's Hill-type muscle (Thelen 2003 shapes, OpenSim's defaults),
// in fiber-length units of the optimal fiber length l_opt and velocity units of
// v_max * l_opt. Every curve is non-negative, so a muscle built on them can only pull.
#pragma once

namespace sinew::muscle {

// Active force-length: f_L(l) = exp(-(l - 1)^2 / gamma), gamma = 0.45 (Thelen 2003).
// 1 at the optimal length, 0.108 at l = 0.5 and l = 1.5, never negative.
double active_force_length(double l_norm);

// Force-velocity, v_norm < 0 shortening (concentric), > 0 lengthening (eccentric):
//   v <= -1:      0
//   -1 < v <= 0:  (1 + v) / (1 - v / a), a = 0.25 (Hill's hyperbola)
//   v > 0:        F_e - (F_e - 1) c / (c + v), F_e = 1.4 (eccentric plateau),
//                 c = (F_e - 1) / (1 + 1 / a) so the slope is continuous at v = 0.
inline constexpr double kHillShapeA = 0.25;
inline constexpr double kEccentricPlateau = 1.4;
double force_velocity(double v_norm);

// Passive force-length: (exp(k (l - 1) / e0) - 1) / (exp(k) - 1) for l > 1, else 0; k = 4,
// e0 = 0.6 (strain at which passive force equals the maximum isometric force).
double passive_force_length(double l_norm);

// Tendon force-strain (for the elastic tendon), strain e = (l_t - l_s) / l_s:
//   e <= 0:               0
//   0 < e <= e_toe:       F_toe (exp(k_toe e / e_toe) - 1) / (exp(k_toe) - 1)
//   e > e_toe:            k_lin (e - e_toe) + F_toe
// with e0 = 0.049 (strain at F_max), k_toe = 3, F_toe = 0.33 (Thelen 2003); e_toe and k_lin
// follow from continuity at the toe (e_toe = 0.609 e0, k_lin = 1.712 / e0).
double tendon_force_strain(double strain);
// Inverse of tendon_force_strain for a normalized force >= 0.
double tendon_strain_at_force(double force_norm);

}  // namespace sinew::muscle
