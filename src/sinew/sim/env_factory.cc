#include "sinew/sim/env_factory.h"

#include "sinew/sim/gait/gait_entry.h"
#include "sinew/sim/mjcf/mjcf_entry.h"
#include "sinew/sim/pendulum/pendulum_entry.h"

namespace sinew {

const EnvRegistry& env_registry() {
  static const EnvRegistry registry = [] {
    EnvRegistry r;
    // one line per env type (its entry beside its code and configs/env/<name>.yaml)
    r.add(pendulum_entry());
    r.add(gait_entry());
    r.add(mjcf_entry());
    return r;
  }();
  return registry;
}

std::vector<std::pair<std::string, std::string>> EnvFactory::available() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : env_registry().entries()) out.emplace_back(e.name, e.description);
  return out;
}

EnvFactory::EnvFactory(const Config& config) : maker_(env_registry().at(config).make(config)) {}

}  // namespace sinew
