#include "sinew/algo/dep_exploration.h"

#include <stdexcept>

#include "sinew/env/sensor_names.h"

namespace sinew {

DepExploration::DepExploration(int num_muscles, const DepOptions& dep,
                               const DepSwitchingOptions& switching, uint64_t seed)
    : controller_(num_muscles, dep), switching_(switching, seed), action_(num_muscles) {}

void DepExploration::start_episode() { switching_.start_episode(); }

bool DepExploration::act(std::span<const double> fiber_lengths_m, std::span<const double> forces_N,
                         int64_t run_steps, std::span<float> action) {
  // DEP sees every step, so its history is whole when it takes over
  controller_.step(fiber_lengths_m, forces_N, action_);
  if (!switching_.dep_acts(run_steps)) return false;
  for (std::size_t j = 0; j < action_.size(); ++j) action[j] = static_cast<float>(action_[j]);
  return true;
}

bool DepExploration::act(const Env& env, int64_t run_steps, std::span<float> action) {
  if (!env.read_sensor(kSensorMuscleFiberLength, &fiber_lengths_m_) ||
      !env.read_sensor(kSensorMuscleForce, &forces_N_)) {
    throw std::logic_error(env.spec().name + " has no muscle sensors for DEP");
  }
  return act(fiber_lengths_m_, forces_N_, run_steps, action);
}

void DepExploration::save_state(BinaryWriter* out) const {
  out->put_string(controller_.save_state());
  out->put_string(switching_.save_state());
}

void DepExploration::load_state(BinaryReader* in, const std::string& source) {
  std::string controller = in->get_string();
  load_state(controller, in->get_string(), source);
}

void DepExploration::save_state(std::vector<std::string>* out) const {
  out->push_back(controller_.save_state());
  out->push_back(switching_.save_state());
}

void DepExploration::load_state(const std::string& controller, const std::string& switching,
                                const std::string& source) {
  controller_.load_state(controller, source);
  switching_.load_state(switching, source);
}

}  // namespace sinew
