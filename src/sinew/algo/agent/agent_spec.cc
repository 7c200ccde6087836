#include "sinew/algo/agent/agent_spec.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

#include "sinew/algo/algorithm_registry.h"
#include "sinew/algo/model_trainer_registry.h"
#include "sinew/core/closest_names.h"
#include "sinew/core/errors.h"

namespace sinew {
namespace {

constexpr const char* kModels = "agent.models";

// entry's map under `field`, or an undefined node (without yaml-cpp's invalid nodes).
YAML::Node submap(const YAML::Node& entry, const std::string& field) {
  for (const auto& item : entry) {
    if (item.first.as<std::string>() == field && item.second.IsMap()) return item.second;
  }
  return YAML::Node(YAML::NodeType::Undefined);
}

// Deep-merges map `src` into `dst` (maps merge, everything else replaces).
void merge(YAML::Node dst, const YAML::Node& src) {
  for (const auto& item : src) {
    const std::string key = item.first.as<std::string>();
    YAML::Node existing = dst[key];
    if (existing.IsMap() && item.second.IsMap()) {
      merge(existing, item.second);
    } else {
      dst[key] = YAML::Clone(item.second);
    }
  }
}

std::string suggestion(const std::string& name, const std::vector<std::string>& names) {
  auto near = closest_names(name, names);
  return near.empty() ? "" : fmt::format("; did you mean '{}'?", near.front());
}

// The names a model lists under `key` (a list of names, or the string "all": empty result).
std::vector<std::string> read_names(const YAML::Node& entry, const std::string& field,
                                    const std::string& key) {
  const YAML::Node node = entry[field];
  if (!node.IsDefined() || (node.IsScalar() && node.as<std::string>() == "all")) return {};
  if (!node.IsSequence() || node.size() == 0) {
    throw ConfigError(key, fmt::format("{}: a list of names, or all", key));
  }
  std::vector<std::string> names;
  for (const auto& item : node) {
    if (!item.IsScalar()) throw ConfigError(key, fmt::format("{}: a list of names", key));
    names.push_back(item.as<std::string>());
  }
  return names;
}

// Observation indices of the named parts (ascending; empty for all).
std::vector<int> obs_indices(const std::vector<std::string>& names, const EnvSpec& env,
                             const std::string& key) {
  if (names.empty()) return {};
  const std::vector<ObsPart> parts = env.observation_parts();
  std::vector<std::string> part_names;
  for (const auto& p : parts) part_names.push_back(p.name);
  std::set<int> index;
  for (const auto& name : names) {
    auto it =
        std::find_if(parts.begin(), parts.end(), [&](const ObsPart& p) { return p.name == name; });
    if (it == parts.end()) {
      throw ConfigError(
          key, fmt::format("{}: env {} has no observation part '{}'{} (parts: {})", key, env.name,
                           name, suggestion(name, part_names), fmt::join(part_names, ", ")));
    }
    for (int i = 0; i < it->size; ++i) index.insert(it->offset + i);
  }
  return {index.begin(), index.end()};
}

// Action indices of the named actions (ascending; empty for all).
std::vector<int> action_indices(const std::vector<std::string>& names, const EnvSpec& env,
                                const std::string& key) {
  if (names.empty()) return {};
  std::vector<std::string> action_names = env.action_names;
  if (action_names.empty()) {
    for (int j = 0; j < env.action_dim; ++j) action_names.push_back(fmt::format("action_{}", j));
  }
  std::set<int> index;
  for (const auto& name : names) {
    auto it = std::find(action_names.begin(), action_names.end(), name);
    if (it == action_names.end()) {
      throw ConfigError(
          key, fmt::format("{}: env {} has no action '{}'{} (actions: {})", key, env.name, name,
                           suggestion(name, action_names), fmt::join(action_names, ", ")));
    }
    index.insert(static_cast<int>(it - action_names.begin()));
  }
  return {index.begin(), index.end()};
}

// The env as a model sees it.
EnvSpec model_spec(const EnvSpec& env, const std::vector<int>& obs, const std::vector<int>& act) {
  EnvSpec spec = env;
  if (!obs.empty()) {
    spec.obs_dim = static_cast<int>(obs.size());
    spec.obs_shape.clear();
    spec.obs_parts.clear();
    for (const auto& part : env.observation_parts()) {
      int offset = -1, size = 0;
      for (int k = 0; k < static_cast<int>(obs.size()); ++k) {
        if (obs[k] >= part.offset && obs[k] < part.offset + part.size) {
          if (offset < 0) offset = k;
          ++size;
        }
      }
      if (size == 0) continue;
      ObsPart slice = part;  // its type and normalization with it
      slice.offset = offset;
      slice.size = size;
      if (size != part.size) slice.shape.clear();  // a part of a part is a flat vector
      spec.obs_parts.push_back(std::move(slice));
    }
  }
  if (!act.empty()) {
    spec.action_dim = static_cast<int>(act.size());
    spec.action_low.clear();
    spec.action_high.clear();
    spec.action_names.clear();
    for (int j : act) {
      spec.action_low.push_back(env.action_low.at(j));
      spec.action_high.push_back(env.action_high.at(j));
      if (!env.action_names.empty()) spec.action_names.push_back(env.action_names[j]);
    }
  }
  return spec;
}

// The run's config with the model's algo.*, model.* and init.* in place of the run's.
Config model_config(const Config& run, const YAML::Node& entry, const std::string& trainer,
                    bool same_algo) {
  YAML::Node root = YAML::Clone(run.root());
  YAML::Node algo = same_algo ? YAML::Clone(run.node("algo")) : YAML::Node(YAML::NodeType::Map);
  if (YAML::Node own = submap(entry, "algo"); own.IsDefined()) merge(algo, own);
  algo["name"] = trainer;
  root["algo"] = algo;
  if (YAML::Node own = submap(entry, "model"); own.IsDefined()) merge(root["model"], own);
  YAML::Node init = root["init"];
  if (init.IsMap()) {
    init["from"] = "";
    init["freeze"] = YAML::Node(YAML::NodeType::Sequence);
    if (YAML::Node own = submap(entry, "init"); own.IsDefined()) merge(init, own);
  }
  return Config(root);
}

}  // namespace

int AgentSpec::num_policies() const {
  return static_cast<int>(
      std::count_if(models_.begin(), models_.end(), [](const ModelSpec& m) { return m.acts; }));
}

std::string AgentSpec::config_key(const ModelSpec& model, const std::string& key) const {
  if (single_) return key;
  const std::string own = fmt::format("{}.{}.{}", kModels, model.name, key);
  return run_config_.has(own) ? own : key;
}

AgentSpec AgentSpec::from_config(const Config& config, const EnvSpec& env) {
  AgentSpec agent;
  agent.run_config_ = config;
  const YAML::Node models = config.node(kModels);
  if (!models.IsDefined() || models.IsNull() || (models.IsMap() && models.size() == 0)) {
    ModelSpec only;
    only.name = "policy";
    only.trainer = config.get_string("algo.name");
    only.config = config;
    only.spec = env;
    agent.models_.push_back(std::move(only));
    return agent;
  }
  if (!models.IsMap()) {
    throw ConfigError(kModels, "agent.models: a map of model name -> {trainer, obs, actions}");
  }
  agent.single_ = false;
  const std::string run_algo = config.get_string("algo.name");
  std::vector<ModelSpec> policies, others;
  for (const auto& item : models) {
    const std::string name = item.first.as<std::string>();
    const std::string key = fmt::format("{}.{}", kModels, name);
    const bool valid_name = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!valid_name) {
      throw ConfigError(key,
                        fmt::format("{}: model names are lower-case letters, digits and _", key));
    }
    const YAML::Node entry = item.second;
    if (!entry.IsMap() || !entry["trainer"].IsScalar()) {
      throw ConfigError(key + ".trainer", fmt::format("{}.trainer: which trainer trains model "
                                                      "'{}' (e.g. {})",
                                                      key, name, run_algo));
    }
    for (const auto& field : entry) {
      const std::string f = field.first.as<std::string>();
      static const std::vector<std::string> known = {"trainer", "obs",   "actions",
                                                     "algo",    "model", "init"};
      if (std::find(known.begin(), known.end(), f) == known.end()) {
        throw ConfigError(key + "." + f,
                          fmt::format("{}.{}: unknown key{} (a model has: {})", key, f,
                                      suggestion(f, known), fmt::join(known, ", ")));
      }
    }
    ModelSpec m;
    m.name = name;
    m.trainer = entry["trainer"].as<std::string>();
    const auto policy_names = algorithms().names();
    const bool is_policy =
        std::find(policy_names.begin(), policy_names.end(), m.trainer) != policy_names.end();
    if (!is_policy && !model_trainers().find(m.trainer)) {
      std::vector<std::string> all = policy_names;
      for (const auto& n : model_trainers().names()) all.push_back(n);
      throw ConfigError(key + ".trainer",
                        fmt::format("{}.trainer={}: unknown trainer{} (trainers: {})", key,
                                    m.trainer, suggestion(m.trainer, all), fmt::join(all, ", ")));
    }
    if (is_policy && m.trainer != run_algo) {
      throw ConfigError(key + ".trainer",
                        fmt::format("{}.trainer={}: the policies of one agent train with the "
                                    "run's algorithm (algo.name={}); choose algo={} for the run, "
                                    "or trainer: {}",
                                    key, m.trainer, run_algo, m.trainer, run_algo));
    }
    m.acts = is_policy;
    m.obs_index = obs_indices(read_names(entry, "obs", key + ".obs"), env, key + ".obs");
    m.action_index =
        action_indices(read_names(entry, "actions", key + ".actions"), env, key + ".actions");
    if (m.acts && env.is_discrete() && !m.action_index.empty()) {
      throw ConfigError(key + ".actions",
                        fmt::format("{}.actions: env {} has one discrete action; it cannot be "
                                    "split between policies",
                                    key, env.name));
    }
    m.config = model_config(config, entry, m.trainer, is_policy);
    m.spec = model_spec(env, m.obs_index, m.action_index);
    (m.acts ? policies : others).push_back(std::move(m));
  }
  if (policies.empty()) {
    throw ConfigError(kModels, "agent.models: no model acts; give one a policy trainer (trainer: " +
                                   run_algo + ")");
  }
  // every action is written by exactly one policy
  std::vector<std::string> writer(env.action_dim);
  for (const auto& p : policies) {
    std::vector<int> written = p.action_index;
    if (written.empty()) {
      for (int j = 0; j < env.action_dim; ++j) written.push_back(j);
    }
    for (int j : written) {
      const std::string action =
          env.action_names.empty() ? fmt::format("action_{}", j) : env.action_names[j];
      if (!writer[j].empty()) {
        throw ConfigError(fmt::format("{}.{}.actions", kModels, p.name),
                          fmt::format("{}.{}.actions: action '{}' is written by model '{}' "
                                      "too; each action has one policy",
                                      kModels, p.name, action, writer[j]));
      }
      writer[j] = p.name;
    }
  }
  for (int j = 0; j < env.action_dim; ++j) {
    if (writer[j].empty()) {
      const std::string action =
          env.action_names.empty() ? fmt::format("action_{}", j) : env.action_names[j];
      throw ConfigError(kModels, fmt::format("agent.models: no policy writes action '{}'; list it "
                                             "under one policy's actions",
                                             action));
    }
  }
  for (auto& m : policies) agent.models_.push_back(std::move(m));
  for (auto& m : others) agent.models_.push_back(std::move(m));
  return agent;
}

std::string model_folder(const AgentSpec& agent, const ModelSpec& model) {
  return agent.single() ? "" : "agent/" + model.name;
}

}  // namespace sinew
