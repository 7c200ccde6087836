// Every gait reward term (one class per header in measures/), for code that builds them
// from config.
#pragma once

#include "sinew/sim/gait/measures/active_fraction_measure.h"
#include "sinew/sim/gait/measures/angular_velocity_measure.h"
#include "sinew/sim/gait/measures/cubed_activation_measure.h"
#include "sinew/sim/gait/measures/dof_limit_measure.h"
#include "sinew/sim/gait/measures/excitation_change_measure.h"
#include "sinew/sim/gait/measures/grf_limit_measure.h"
#include "sinew/sim/gait/measures/joint_limit_torque_measure.h"
#include "sinew/sim/gait/measures/measure_shaping.h"
#include "sinew/sim/gait/measures/metabolic_measure.h"
#include "sinew/sim/gait/measures/mimic_measure.h"
#include "sinew/sim/gait/measures/min_velocity_measure.h"
#include "sinew/sim/gait/measures/tracking_measure.h"
#include "sinew/sim/gait/measures/velocity_measure.h"
