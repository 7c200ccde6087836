#include "sinew/sim/gait/measures/measure_registry.h"

#include "sinew/sim/gait/measures/all_measures.h"

namespace sinew {

const MeasureRegistry& measure_registry() {
  static const MeasureRegistry registry = [] {
    MeasureRegistry r;
    // one line per measure (its files in sim/gait/measures/)
    r.add(velocity_measure_entry());
    r.add(min_velocity_measure_entry());
    r.add(grf_limit_measure_entry());
    r.add(joint_limit_torque_measure_entry());
    r.add(excitation_change_measure_entry());
    r.add(active_fraction_measure_entry());
    r.add(cubed_activation_measure_entry());
    r.add(metabolic_measure_entry());
    r.add(dof_limit_measure_entry());
    r.add(angular_velocity_measure_entry());
    r.add(mimic_measure_entry());
    r.add(tracking_measure_entry());
    return r;
  }();
  return registry;
}

}  // namespace sinew
