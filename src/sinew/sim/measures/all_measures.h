// Every gait reward term (one class per header in measures/), for code that builds them
// from config.
#pragma once

#include "sinew/sim/measures/active_fraction_measure.h"
#include "sinew/sim/measures/angular_velocity_measure.h"
#include "sinew/sim/measures/cubed_activation_measure.h"
#include "sinew/sim/measures/dof_limit_measure.h"
#include "sinew/sim/measures/excitation_change_measure.h"
#include "sinew/sim/measures/grf_limit_measure.h"
#include "sinew/sim/measures/joint_limit_torque_measure.h"
#include "sinew/sim/measures/measure_shaping.h"
#include "sinew/sim/measures/metabolic_measure.h"
#include "sinew/sim/measures/mimic_measure.h"
#include "sinew/sim/measures/min_velocity_measure.h"
#include "sinew/sim/measures/tracking_measure.h"
#include "sinew/sim/measures/velocity_measure.h"
