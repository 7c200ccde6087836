#include "sinew/algo/dep_switching.h"

#include <sstream>

#include "sinew/core/errors.h"

namespace sinew {

DepSwitchingOptions DepSwitchingOptions::from_config(const Config& c) {
  DepSwitchingOptions s;
  s.learning_starts = c.get_int("algo.learning_starts", 0);
  s.pure_policy_every = static_cast<int>(c.get_int("algo.dep.pure_policy_every", 0, 1 << 20));
  s.intervention_probability = c.get_double("algo.dep.intervention_probability", 0, 1);
  s.intervention_length = static_cast<int>(c.get_int("algo.dep.intervention_length", 1, 1 << 20));
  return s;
}

DepSwitching::DepSwitching(const DepSwitchingOptions& options, uint64_t seed)
    : o_(options), rng_(seed) {}

void DepSwitching::start_episode() {
  ++episodes_;
  remaining_ = 0;
}

bool DepSwitching::dep_acts(int64_t run_steps) {
  if (run_steps < o_.learning_starts) return true;
  if (o_.pure_policy_every > 0 && episodes_ % o_.pure_policy_every == 0) return false;
  if (remaining_ > 0) {
    --remaining_;
    return true;
  }
  if (std::bernoulli_distribution(o_.intervention_probability)(rng_)) {
    remaining_ = o_.intervention_length - 1;
    return true;
  }
  return false;
}

std::string DepSwitching::save_state() const {
  std::ostringstream out;
  out << episodes_ << ' ' << remaining_ << ' ' << rng_;
  return out.str();
}

void DepSwitching::load_state(const std::string& text, const std::string& source) {
  std::istringstream in(text);
  in >> episodes_ >> remaining_ >> rng_;
  if (!in) throw UserError(source + ": bad DEP switching state");
}

}  // namespace sinew
