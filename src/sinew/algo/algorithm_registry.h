// The learning algorithms sinew knows, by the name `algo.name` selects (the config group
// configs/algo/<name>.yaml). Each algorithm lives in its own folder (algo/ppo/, algo/mpo/) and
// describes itself in one AlgorithmEntry; algorithm_registry.cc lists the entries, one line
// each. Everything that used to switch on algo.name (building the learner, validating keys,
// DEP, loading a policy for eval, resume, the learner benchmark) asks the registry instead.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sinew/algo/algorithm.h"
#include "sinew/algo/learner_bench_result.h"
#include "sinew/core/config.h"
#include "sinew/core/name_registry.h"
#include "sinew/env/env.h"
#include "sinew/nn/actor_critic.h"

namespace sinew {

// What the rest of sinew needs to know about one algorithm.
struct AlgorithmEntry {
  std::string name;  // the value of algo.name, e.g. "ppo"

  // Learns from actions the policy did not choose, so actors may explore with DEP
  // (algo.dep.*); on-policy algorithms never read the algo.dep keys.
  bool off_policy = false;

  // The policy acts in [-1, 1] with a state-dependent std, mapped to the env's bounds by the
  // actors; such an algorithm needs continuous actions.
  bool normalized_actions = false;

  // The checkpoint-relative file holding the acting policy's parameters (read by eval, play).
  std::string policy_file;

  // The named tensors (Algorithm::named_tensors()) of a verified checkpoint folder of this
  // algorithm, read without building the learner (no optimizer, no replay memory): what
  // `sinew export` and `init.from` read. Throws UserError naming the file.
  std::function<NamedTensors(const std::filesystem::path& checkpoint,
                             const ActorCriticOptions& policy)>
      checkpoint_tensors;

  // Config keys (prefix match) that `sinew resume` may not change because the checkpoint's
  // data depends on them (e.g. a replay buffer's capacity).
  std::vector<std::string> fixed_on_resume;

  // Reads every algo.* key the algorithm uses without building anything; throws ConfigError
  // naming the key.
  std::function<void(const Config& config)> check_config;

  // Builds the learner side for `spec` with the policy network `policy`. Throws ConfigError.
  std::function<std::unique_ptr<Algorithm>(const Config& config, const EnvSpec& spec,
                                           const ActorCriticOptions& policy, uint64_t seed)>
      make;

  // Times the algorithm's update against raw LibTorch work on synthetic data for about
  // `seconds` per loop, filling `result` (whose `threads` is set); see learner_bench.h.
  std::function<void(const Config& config, const EnvSpec& spec, const ActorCriticOptions& policy,
                     double seconds, LearnerBenchResult* result)>
      bench;

  bool complete() const {
    return !policy_file.empty() && check_config && make && bench && checkpoint_tensors;
  }
};

class AlgorithmRegistry : public NameRegistry<AlgorithmEntry> {
 public:
  AlgorithmRegistry() : NameRegistry("algorithm") {}
  // The entry `config`'s algo.name selects; throws ConfigError listing the registered names
  // (with the closest one) when there is none.
  const AlgorithmEntry& at(const Config& config) const {
    return NameRegistry::at(config, "algo.name");
  }
};

// Every algorithm built into sinew (constructed once, read-only afterwards; safe to use from
// any thread).
const AlgorithmRegistry& algorithms();

}  // namespace sinew
