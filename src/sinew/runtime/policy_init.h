// Starting a run from trained parameters (`init.from`): a sinew run or checkpoint folder, a
// policy exported by `sinew export`, or a PyTorch state_dict saved by Python's torch.save
// (e.g. a DEP-RL / tonic checkpoint, whose layout `init=tonic` maps).
//
// Every source is read as named tensors (named_tensors.h). init.keys rewrites foreign names:
// each entry "ours = theirs" (or "ours = a + b", concatenated along dimension 0, e.g. tonic's
// separate mean and std layers into MPO's one head). Then every tensor of the new run's
// networks is taken from the source with its shape checked; a missing tensor or a shape that
// differs is an error naming the tensor and both shapes. With init.critic=fresh the value head
// or critic keeps its fresh initialization (e.g. a new reward); with init.normalizer=fresh the
// observation statistics start empty. Target networks start equal to the loaded ones. The
// run's checkpoints record the source as "parent". A file is checked against its sidecar's
// SHA-256 first (policy_file_check.h); one without a sidecar needs init.unverified=true.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sinew/algo/algorithm.h"
#include "sinew/core/config.h"
#include "sinew/nn/named_tensors.h"

namespace sinew {

struct InitOptions {
  std::string from;               // "" = start from scratch; store:<name>[:<ref>]
  std::string store;              // models.store: where store: refs are found
  bool load_critic = true;        // init.critic: load | fresh
  bool load_normalizer = true;    // init.normalizer: load | fresh
  double normalizer_count = 1e6;  // observations the loaded statistics count as, when the
                                  // source does not say (tonic's do not)
  struct KeyRule {
    std::string ours;
    std::vector<std::string> theirs;  // concatenated along dimension 0
  };
  std::vector<KeyRule> keys;
  std::vector<std::string> freeze;  // init.freeze: name prefixes of tensors kept fixed
  bool unverified = false;          // init.unverified: a file without a sidecar checksum is taken
                                    // (policy_file_check.h); a store's versions are always verified

  // Reads init.*; throws ConfigError naming the key.
  static InitOptions from_config(const Config& config);
};

// A source read into memory.
struct InitSource {
  std::string kind;         // "checkpoint", "exported policy" or "state_dict"
  std::string description;  // e.g. "runs/x/checkpoints/step_300032 (step 300032)"
  NamedTensors tensors;     // with init.keys applied
  nlohmann::json parent;    // recorded in the new run: from, kind, path, sha256 or step
};

// Reads options.from. Throws UserError naming the file on anything it cannot use.
InitSource read_init_source(const InitOptions& options);

// Stops learning for every tensor of `algorithm` whose name starts with one of `prefixes`
// (init.freeze, e.g. "policy.0." keeps the first layer as loaded). Returns the names frozen.
// Throws ConfigError naming init.freeze when a prefix matches no tensor.
std::vector<std::string> freeze_tensors(Algorithm& algorithm,
                                        const std::vector<std::string>& prefixes);

// Copies the source's tensors into `algorithm`'s networks and, unless init.normalizer=fresh,
// replaces `normalizer` (whose dimension, clip and epsilon are kept). Returns lines for the
// run log saying what was loaded. Throws UserError naming the tensor on a missing tensor or a
// shape mismatch; `algorithm` may then be partly overwritten.
std::vector<std::string> apply_init(const InitSource& source, const InitOptions& options,
                                    Algorithm& algorithm, RunningNormalizer* normalizer);

}  // namespace sinew
