#include "sinew/runtime/policy_init.h"

#include <fmt/format.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/torch.h>

#include <algorithm>
#include <set>

#include "sinew/core/closest_names.h"
#include "sinew/core/config_composer.h"
#include "sinew/core/errors.h"
#include "sinew/core/sha256.h"
#include "sinew/core/text_file.h"
#include "sinew/nn/torch_save_reader.h"
#include "sinew/runtime/find_checkpoint.h"
#include "sinew/runtime/policy_export.h"
#include "sinew/runtime/policy_file_check.h"
#include "sinew/store/store_location.h"

namespace sinew {
namespace fs = std::filesystem;

namespace {

std::string trim(const std::string& s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  return s.substr(begin, s.find_last_not_of(" \t") - begin + 1);
}

InitOptions::KeyRule parse_rule(const std::string& text) {
  const auto eq = text.find('=');
  InitOptions::KeyRule rule;
  if (eq != std::string::npos) {
    rule.ours = trim(text.substr(0, eq));
    std::string rest = text.substr(eq + 1);
    for (std::size_t start = 0; start <= rest.size();) {
      const std::size_t plus = std::min(rest.find('+', start), rest.size());
      rule.theirs.push_back(trim(rest.substr(start, plus - start)));
      start = plus + 1;
    }
  }
  bool ok = !rule.ours.empty() && !rule.theirs.empty();
  for (const auto& t : rule.theirs) ok = ok && !t.empty();
  if (!ok) {
    throw ConfigError("init.keys", fmt::format("init.keys: '{}' is not 'ours = theirs' or "
                                               "'ours = theirs_a + theirs_b'",
                                               text));
  }
  return rule;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

// The first dotted segments shared by `names`, for a short summary: "target_actor.*".
std::string summarize(const std::vector<std::string>& names) {
  std::set<std::string> prefixes;
  for (const auto& n : names) {
    const auto dot = n.find('.');
    prefixes.insert(dot == std::string::npos ? n : n.substr(0, dot) + ".*");
  }
  std::string out;
  int shown = 0;
  for (const auto& p : prefixes) {
    if (shown++ == 6) return out + ", ...";
    out += (out.empty() ? "" : ", ") + p;
  }
  return out;
}

InitSource read_checkpoint_source(const fs::path& given) {
  auto [dir, manifest] = find_checkpoint(given);
  ExportSource read = read_export_source(dir, std::move(manifest));
  InitSource source;
  source.kind = "checkpoint";
  source.tensors = std::move(read.tensors);
  source.tensors.merge(normalizer_tensors(read.policy.normalizer));
  const nlohmann::json& m = read.policy.manifest;
  const int64_t step = m.value("step", int64_t{0});
  source.description = fmt::format("{} (step {}, {} on {})", dir.string(), step,
                                   read.policy.config.get_string("algo.name"), read.spec.name);
  source.parent = {{"kind", source.kind},
                   {"path", fs::absolute(dir).lexically_normal().string()},
                   {"step", step},
                   {"config_hash", m.value("config_hash", "")}};
  return source;
}

// `verify`: check the file against its sidecar (a store's file was verified by the store).
InitSource read_file_source(const fs::path& path, bool verify, bool allow_unverified) {
  if (!fs::is_regular_file(path)) {
    throw UserError(fmt::format("{}: no such file or folder", path.string()));
  }
  const std::string bytes = read_text_file(path);
  if (verify) check_policy_file(path, bytes, allow_unverified, "init.unverified=true");
  InitSource source;
  try {
    std::istringstream in(bytes);
    torch::jit::Module module = torch::jit::load(in);
    source.kind = "exported policy";
    auto add = [&](const std::string& name, const torch::Tensor& t) {
      std::string ours;
      for (std::size_t i = 0; i < name.size(); ++i) {
        if (name.compare(i, 2, "__") == 0) {
          ours += '.';
          ++i;
        } else {
          ours += name[i];
        }
      }
      source.tensors[ours] = t.detach().clone();
    };
    for (const auto& p : module.named_parameters(/*recurse=*/true)) add(p.name, p.value);
    for (const auto& b : module.named_buffers(/*recurse=*/true)) add(b.name, b.value);
  } catch (const c10::Error&) {
    // not TorchScript: a torch.save file, below
  }
  if (source.kind.empty()) {
    try {
      source.tensors = read_torch_save(bytes, path.string());
      source.kind = "state_dict";
    } catch (const UserError& e) {
      std::string why = e.what();
      if (why.rfind(path.string() + ": ", 0) == 0) why = why.substr(path.string().size() + 2);
      throw UserError(
          fmt::format("{}: neither a TorchScript policy (sinew export) nor a PyTorch "
                      "state_dict (torch.save of a dict of tensors): {}",
                      path.string(), why));
    }
    if (source.tensors.empty()) {
      throw UserError(
          fmt::format("{}: holds no tensors (expected a dict of named tensors, as "
                      "torch.save(model.state_dict()) writes)",
                      path.string()));
    }
  }
  source.description =
      fmt::format("{} ({}, {} tensors)", path.string(), source.kind, source.tensors.size());
  source.parent = {{"kind", source.kind},
                   {"path", fs::absolute(path).lexically_normal().string()},
                   {"sha256", sha256_hex(bytes)}};
  return source;
}

// The one .pt file of a stored version that is not a checkpoint (an exported policy and its
// sidecar, or a pushed state_dict).
fs::path single_policy_file(const fs::path& folder, const std::string& from) {
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_regular_file() && entry.path().extension() == ".pt") found.push_back(entry.path());
  }
  if (found.size() != 1) {
    throw UserError(
        fmt::format("init.from={}: the stored version is neither a checkpoint nor "
                    "one .pt file ({} .pt files)",
                    from, found.size()));
  }
  return found[0];
}

void apply_key_rules(const InitOptions& options, const std::string& from, NamedTensors* tensors) {
  NamedTensors mapped;
  std::vector<std::string> names;
  for (const auto& [name, t] : *tensors) names.push_back(name);
  for (const auto& rule : options.keys) {
    std::vector<torch::Tensor> parts;
    for (const auto& theirs : rule.theirs) {
      auto it = tensors->find(theirs);
      if (it == tensors->end()) {
        auto close = closest_names(theirs, names);
        throw UserError(fmt::format("init.keys: {} has no tensor '{}'{}", from, theirs,
                                    close.empty() ? "" : "; did you mean " + quote_list(close)));
      }
      parts.push_back(it->second);
    }
    try {
      mapped[rule.ours] = parts.size() == 1 ? parts[0] : torch::cat(parts, 0);
    } catch (const c10::Error&) {
      std::string shapes;
      for (std::size_t i = 0; i < parts.size(); ++i) {
        shapes += (i ? " + " : "") + rule.theirs[i] + " " + shape_text(parts[i]);
      }
      throw UserError(fmt::format("init.keys: cannot join {} into {}", shapes, rule.ours));
    }
  }
  for (auto& [name, t] : mapped) (*tensors)[name] = t;
}

std::vector<std::string> string_list(const Config& config, const std::string& key,
                                     const std::string& what) {
  std::vector<std::string> out;
  YAML::Node node = config.node(key);
  if (!node || node.IsNull()) return out;
  if (!node.IsSequence())
    throw ConfigError(key, fmt::format("{}: expected a list of {}", key, what));
  for (const auto& entry : node) {
    if (!entry.IsScalar())
      throw ConfigError(key, fmt::format("{}: expected a list of {}", key, what));
    out.push_back(entry.Scalar());
  }
  return out;
}

}  // namespace

InitOptions InitOptions::from_config(const Config& config) {
  InitOptions o;
  if (!config.has("init.from")) return o;
  o.freeze = string_list(config, "init.freeze", "tensor name prefixes");
  o.from = config.get_string("init.from");
  if (config.has("models.store")) o.store = config.get_string("models.store");
  o.load_critic = config.get_choice("init.critic", {"load", "fresh"}) == "load";
  o.load_normalizer = config.get_choice("init.normalizer", {"load", "fresh"}) == "load";
  o.normalizer_count = config.get_double("init.normalizer_count", 1, 1e15);
  if (config.has("init.unverified")) o.unverified = config.get_bool("init.unverified");
  for (const auto& entry : string_list(config, "init.keys", "'ours = theirs' entries")) {
    o.keys.push_back(parse_rule(entry));
  }
  return o;
}

std::vector<std::string> freeze_tensors(Algorithm& algorithm,
                                        const std::vector<std::string>& prefixes) {
  std::vector<std::string> frozen;
  NamedTensors tensors = algorithm.named_tensors();
  for (const auto& prefix : prefixes) {
    std::size_t before = frozen.size();
    for (auto& [name, t] : tensors) {
      if (starts_with(name, prefix)) {
        t.set_requires_grad(false);
        frozen.push_back(name);
      }
    }
    if (frozen.size() == before) {
      std::vector<std::string> names;
      for (const auto& [name, t] : tensors) names.push_back(name);
      auto close = closest_names(prefix, names);
      throw ConfigError("init.freeze",
                        fmt::format("init.freeze: '{}' matches no tensor of the model{}", prefix,
                                    close.empty() ? "" : "; e.g. " + quote_list(close)));
    }
  }
  return frozen;
}

InitSource read_init_source(const InitOptions& options) {
  fs::path path(options.from);
  // a relative path that is not under the working directory may name a shipped policy
  // (assets/policies/...) of sinew's own folder
  if (path.is_relative() && !fs::exists(path) && fs::exists(resource_root() / path)) {
    path = resource_root() / path;
  }
  const bool stored = options.from.rfind("store:", 0) == 0;
  if (stored) {
    path = resolve_store_ref(options.from.substr(6), options.store, "");
    if (!fs::is_regular_file(path / "manifest.json")) path = single_policy_file(path, options.from);
  }
  InitSource source = fs::is_directory(path) ? read_checkpoint_source(path)
                                             : read_file_source(path, !stored, options.unverified);
  apply_key_rules(options, path.string(), &source.tensors);
  source.parent["from"] = options.from;
  return source;
}

std::vector<std::string> apply_init(const InitSource& source, const InitOptions& options,
                                    Algorithm& algorithm, RunningNormalizer* normalizer) {
  const std::string from = fmt::format("init.from={}", options.from);
  std::vector<std::string> available;
  for (const auto& [name, t] : source.tensors) available.push_back(name);
  std::set<std::string> used;
  std::vector<std::string> loaded, fresh, missing;
  torch::NoGradGuard no_grad;
  // the policy's tensors first, so a mismatch names the one that tells most
  std::vector<std::pair<std::string, torch::Tensor>> targets;
  for (auto& [name, parameter] : algorithm.named_tensors()) targets.emplace_back(name, parameter);
  std::stable_partition(targets.begin(), targets.end(), [](const auto& t) {
    return !starts_with(t.first, "value.") && !starts_with(t.first, "critic.");
  });
  for (auto& [name, parameter] : targets) {
    const bool critic = starts_with(name, "value.") || starts_with(name, "critic.");
    if (critic && !options.load_critic) {
      fresh.push_back(name);
      continue;
    }
    auto it = source.tensors.find(name);
    if (it == source.tensors.end()) {
      missing.push_back(name);
      continue;
    }
    if (!it->second.sizes().equals(parameter.sizes())) {
      throw UserError(
          fmt::format("{}: tensor {} has shape {} there, the model here needs {} "
                      "(check env, model.hidden and algo against the source)",
                      from, name, shape_text(it->second), shape_text(parameter)));
    }
    parameter.copy_(it->second.to(parameter.dtype()));
    loaded.push_back(name);
    used.insert(name);
  }
  if (!missing.empty()) {
    const bool only_critic = std::all_of(missing.begin(), missing.end(), [](const auto& n) {
      return starts_with(n, "value.") || starts_with(n, "critic.");
    });
    auto close = closest_names(missing[0], available);
    throw UserError(fmt::format(
        "{}: {} has no tensor {}{} ({} of the model's tensors missing){}", from, source.kind,
        missing[0], close.empty() ? "" : "; closest there: " + quote_list(close), missing.size(),
        only_critic ? "; set init.critic=fresh to start the critic fresh"
                    : "; map foreign names with init.keys (init=tonic for DEP-RL/tonic files)"));
  }
  algorithm.parameters_replaced();

  std::vector<std::string> report;
  report.push_back(fmt::format("init.from: {}", source.description));
  report.push_back(fmt::format("init: loaded {} tensors ({}){}", loaded.size(), summarize(loaded),
                               fresh.empty() ? "" : "; fresh: " + summarize(fresh)));
  if (options.load_normalizer) {
    *normalizer = normalizer_from_tensors(source.tensors, normalizer->dim(), normalizer->clip(),
                                          normalizer->epsilon(), options.normalizer_count, from);
    for (const char* n : {"obs_normalizer.mean", "obs_normalizer.var", "obs_normalizer.std",
                          "obs_normalizer.count"}) {
      used.insert(n);
    }
    report.push_back(
        fmt::format("init: observation statistics loaded (count {:g})", normalizer->count()));
  } else {
    report.push_back("init: observation statistics start fresh");
  }
  std::vector<std::string> ignored;
  std::set<std::string> mapped_from;
  for (const auto& rule : options.keys) mapped_from.insert(rule.theirs.begin(), rule.theirs.end());
  for (const auto& name : available) {
    if (!used.count(name) && !mapped_from.count(name)) ignored.push_back(name);
  }
  if (!ignored.empty()) {
    report.push_back(fmt::format("init: {} tensors of the source not used ({})", ignored.size(),
                                 summarize(ignored)));
  }
  return report;
}

}  // namespace sinew
