#include "sinew/runtime/policy_export.h"

#include <fmt/format.h>
#include <torch/csrc/jit/api/module.h>
#include <torch/serialize.h>
#include <torch/torch.h>

#include <sstream>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/core/utc_time.h"
#include "sinew/sim/env_factory.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

// A double as a TorchScript literal that reads back exactly.
std::string literal(double v) { return fmt::format("{:.17g}", v); }

std::string script_name(const std::string& tensor_name) {
  std::string out;
  for (char c : tensor_name) out += c == '.' ? std::string("__") : std::string(1, c);
  return out;
}

// TorchScript source of the module's methods for a policy MLP with `layers` Linear layers.
std::string script_source(const ActorCriticOptions& model, const RunningNormalizer& normalizer,
                          int layers, const std::string& mapping) {
  std::string act = model.activation == "relu" ? "torch.relu" : "torch.tanh";
  std::string src;
  src += "def normalize(self, obs: Tensor) -> Tensor:\n";
  src += "    inv_std = 1.0 / torch.sqrt(self.obs_normalizer__var + " +
         literal(normalizer.epsilon()) + ")\n";
  src += "    z = (obs.double() - self.obs_normalizer__mean) * inv_std\n";
  src += "    return torch.clamp(z, " + literal(-normalizer.clip()) + ", " +
         literal(normalizer.clip()) + ").float()\n\n";
  src += "def head(self, obs: Tensor) -> Tensor:\n";
  src += "    x = self.normalize(obs)\n";
  for (int i = 0; i < layers; ++i) {
    std::string w = fmt::format("self.policy__{}__weight", 2 * i);
    std::string b = fmt::format("self.policy__{}__bias", 2 * i);
    src += fmt::format("    x = torch.linear(x, {}, {})\n", w, b);
    if (i + 1 < layers) src += fmt::format("    x = {}(x)\n", act);
  }
  src += "    return x\n\n";
  src += "def forward(self, obs: Tensor) -> Tensor:\n";
  src += "    h = self.head(obs)\n";
  const int64_t A = model.action_dim;
  if (model.num_actions > 0) {
    src += "    return torch.argmax(h, -1, keepdim=True).float()\n";
  } else if (model.state_dependent_std) {
    src += fmt::format("    a = torch.tanh(h[..., 0:{}])\n", A);
    if (mapping == "clip") {
      src += "    return torch.minimum(torch.maximum(a, self.action_low), self.action_high)\n";
    } else {
      src += "    c = torch.clamp(a, -1.0, 1.0)\n";
      src +=
          "    return self.action_low + 0.5 * (c + 1.0) * (self.action_high - "
          "self.action_low)\n";
    }
  } else {
    src += "    return torch.minimum(torch.maximum(h, self.action_low), self.action_high)\n";
  }
  return src;
}

std::string mapping_text(const ActorCriticOptions& model, const std::string& mapping) {
  if (model.num_actions > 0) return "argmax: the index of the most likely action, as a float";
  if (model.state_dependent_std) {
    return mapping == "clip" ? "tanh(mean) clipped to [action_low, action_high]"
                             : "tanh(mean) mapped linearly from [-1, 1] onto "
                               "[action_low, action_high]";
  }
  return "Gaussian mean clipped to [action_low, action_high]";
}

}  // namespace

std::string state_dict_bytes(const NamedTensors& tensors) {
  c10::Dict<std::string, torch::Tensor> dict;
  for (const auto& [name, tensor] : tensors) dict.insert(name, tensor.detach().cpu().contiguous());
  std::vector<char> bytes = torch::pickle_save(dict);
  return {bytes.begin(), bytes.end()};
}

std::string spec_hash(const EnvSpec& spec) {
  nlohmann::json j = {{"name", spec.name},
                      {"obs_dim", spec.obs_dim},
                      {"action_dim", spec.action_dim},
                      {"num_actions", spec.num_actions},
                      {"action_low", spec.action_low},
                      {"action_high", spec.action_high},
                      {"action_names", spec.action_names},
                      {"control_dt_s", spec.control_dt_s}};
  return sha256_hex(j.dump());
}

ExportSource read_export_source(const fs::path& checkpoint, nlohmann::json verified_manifest) {
  ExportSource source;
  source.checkpoint = checkpoint;
  source.policy = load_policy(checkpoint, std::move(verified_manifest));
  if (!source.policy.parts.empty()) {
    throw UserError(fmt::format(
        "{}: an agent of {} policies (agent.models); an exported policy and init.from are one "
        "network over the whole body, so far for runs of one policy (sinew eval and play run "
        "this one)",
        checkpoint.string(), source.policy.parts.size()));
  }
  source.spec = EnvFactory(source.policy.config).spec();
  source.tensors = algorithms()
                       .at(source.policy.config)
                       .checkpoint_tensors(checkpoint, source.policy.model->options());
  return source;
}

nlohmann::json export_torchscript(const ExportSource& source, const fs::path& out,
                                  const fs::path& sidecar) {
  const LoadedPolicy& policy = source.policy;
  const ActorCriticOptions& model = policy.model->options();
  const EnvSpec& spec = source.spec;
  const std::string mapping = clip_action_mapping(policy.config) ? "clip" : "linear";

  torch::jit::Module module("SinewPolicy");
  int layers = 0;
  torch::NoGradGuard no_grad;
  // every network's tensors (value or critic too, unused by forward) so that init.from can
  // continue training from the file
  for (const auto& [name, tensor] : source.tensors) {
    module.register_parameter(script_name(name), tensor.detach().clone(), false);
    if (name.rfind("policy.", 0) == 0 && name.size() > 7 &&
        name.compare(name.size() - 7, 7, ".weight") == 0) {
      ++layers;
    }
  }
  for (const auto& [name, tensor] : normalizer_tensors(policy.normalizer)) {
    module.register_buffer(script_name(name), tensor);
  }
  auto bounds = [&](const std::vector<float>& v) {
    return torch::tensor(std::vector<float>(v.begin(), v.end()), torch::kFloat32);
  };
  module.register_buffer("action_low", bounds(spec.action_low));
  module.register_buffer("action_high", bounds(spec.action_high));
  module.define(script_source(model, policy.normalizer, layers, mapping));
  module.eval();

  std::ostringstream bytes;
  module.save(bytes);
  write_file(out, bytes.str());

  nlohmann::json j;
  j["format"] = "sinew-policy";
  j["format_version"] = 1;
  j["created"] = iso_time_utc_now();
  j["env"] = {{"name", spec.name},
              {"obs_dim", spec.obs_dim},
              {"action_dim", spec.action_dim},
              {"num_actions", spec.num_actions},
              {"action_names", spec.action_names},
              {"action_low", spec.action_low},
              {"action_high", spec.action_high},
              {"control_dt_s", spec.control_dt_s}};
  j["spec_hash"] = spec_hash(spec);
  j["action"] = mapping_text(model, mapping);
  j["model"] = {{"hidden", model.hidden},
                {"activation", model.activation},
                {"state_dependent_std", model.state_dependent_std}};
  j["algorithm"] = policy.config.get_string("algo.name");
  j["config_hash"] = policy.manifest.value("config_hash", "");
  j["source"] = {{"checkpoint", fs::absolute(source.checkpoint).lexically_normal().string()},
                 {"step", policy.manifest.value("step", int64_t{0})}};
  if (policy.manifest.contains("parent")) j["parent"] = policy.manifest["parent"];
  j["observation_statistics"] = {{"count", policy.normalizer.count()},
                                 {"clip", policy.normalizer.clip()},
                                 {"epsilon", policy.normalizer.epsilon()}};
  j["files"] = {{out.filename().string(),
                 {{"sha256", sha256_hex(bytes.str())}, {"size", bytes.str().size()}}}};
  write_file(sidecar, j.dump(2) + "\n");
  return j;
}

nlohmann::json export_state_dict(const ExportSource& source, const fs::path& out) {
  NamedTensors all = source.tensors;
  all.merge(normalizer_tensors(source.policy.normalizer));
  const std::string bytes = state_dict_bytes(all);
  write_file(out, bytes);
  return {{"sha256", sha256_hex(bytes)}, {"size", bytes.size()}};
}

}  // namespace sinew
