#include "sinew/algo/algorithm_registry.h"

#include "sinew/algo/mpo/mpo_entry.h"
#include "sinew/algo/ppo/ppo_entry.h"

namespace sinew {

const AlgorithmRegistry& algorithms() {
  static const AlgorithmRegistry registry = [] {
    AlgorithmRegistry r;
    // one line per algorithm (its folder under algo/ and configs/algo/<name>.yaml)
    r.add(ppo_entry());
    r.add(mpo_entry());
    return r;
  }();
  return registry;
}

}  // namespace sinew
