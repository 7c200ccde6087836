// Exporting a trained policy for use outside sinew (`sinew export`):
//
//  policy.pt    a TorchScript module: Python `torch.jit.load("policy.pt")(obs)`, or C++
//               torch::jit::load. forward(obs) returns the deterministic action sinew applies
//               for raw observations obs (obs_dim) or (B, obs_dim) float32, as (action_dim) or
//               (B, action_dim) float32. Baked in: the run's observation statistics (the same
//               double-precision normalization and clipping as the actors), the policy MLP, and
//               the action mapping: PPO's Gaussian mean clipped to the env's bounds; MPO's tanh
//               mean mapped linearly onto the bounds (or clipped, algo.action_mapping=clip); a
//               discrete policy's most likely action index (as a float). Also head(obs) (the
//               raw policy head on raw observations: means, [means, log stds] or logits) and
//               normalize(obs). It holds every network's tensors (value or critic too) under
//               the names of named_tensors.h with "." written "__", so `init.from` can
//               continue training from it.
//  policy.json  the sidecar: env, observation and action sizes, action names and bounds, the
//               mapping, model shape, algorithm, config hash, source checkpoint and step, the
//               run's parent (init.from), and the SHA-256 of the files written.
//  a state_dict (optional): the named tensors of named_tensors.h (policy, value or critic,
//               obs_normalizer.*) as a dict in PyTorch's torch.save format, for users who
//               rebuild the network (torch.load returns {name: tensor}). Its SHA-256 goes into
//               a sidecar of its own (<its stem>.json, the policy's with kind "state_dict"), or
//               into the policy's when both have one stem.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "sinew/nn/named_tensors.h"
#include "sinew/runtime/agent_factory.h"

namespace sinew {

// A verified checkpoint read for export or init.from: its policy (config, manifest,
// statistics), every network's tensors and the env's spec.
struct ExportSource {
  std::filesystem::path checkpoint;  // where it came from (recorded in the sidecar)
  LoadedPolicy policy;
  NamedTensors tensors;  // every network's (AlgorithmEntry::checkpoint_tensors)
  EnvSpec spec;
};

// Reads the checkpoint folder `checkpoint`, whose manifest was just verified. Throws UserError
// naming the file.
ExportSource read_export_source(const std::filesystem::path& checkpoint,
                                nlohmann::json verified_manifest);

// SHA-256 (hex) of what a policy must agree with an env on: name, sizes, action bounds and
// names, control step. Equal hashes: a policy fits the env as it is.
std::string spec_hash(const EnvSpec& spec);

// Writes `out` (TorchScript) and `sidecar` (JSON). Returns the sidecar's content. Throws
// std::runtime_error naming the file on I/O errors.
nlohmann::json export_torchscript(const ExportSource& source, const std::filesystem::path& out,
                                  const std::filesystem::path& sidecar);

// Writes the named tensors and the observation statistics as a PyTorch state_dict file.
// Returns its entry for a sidecar's "files": {"sha256", "size"}.
nlohmann::json export_state_dict(const ExportSource& source, const std::filesystem::path& out);

// torch.save-compatible bytes of a dict of named tensors (all on the CPU).
std::string state_dict_bytes(const NamedTensors& tensors);

}  // namespace sinew
