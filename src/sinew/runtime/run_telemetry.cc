#include "sinew/runtime/run_telemetry.h"

#include <algorithm>
#include <map>
#include <string>

#include "sinew/core/yaml_scalar.h"

namespace sinew {

namespace {

// Every config value as a TensorBoard hyperparameter: booleans and numbers as such, other
// scalars as text, sequences and maps as their YAML.
std::map<std::string, TensorBoardWriter::HParam> hyperparameters(const Config& config) {
  std::map<std::string, TensorBoardWriter::HParam> hparams;
  for (const auto& key : config.leaf_keys()) {
    YAML::Node node = config.node(key);
    if (!node.IsScalar()) {
      hparams[key] = YAML::Dump(node);
      continue;
    }
    const std::string text = node.Scalar();
    if (auto b = parse_bool(text)) {
      hparams[key] = *b;
    } else if (auto d = parse_double(text)) {
      hparams[key] = *d;
    } else {
      hparams[key] = text;
    }
  }
  return hparams;
}

}  // namespace

void RunTelemetry::open(const RunDir& run_dir, const Config& config, int64_t resumed_step) {
  if (resumed_step >= 0) bus_.load_history(run_dir.metrics_file());
  bus_.open_csv(run_dir.metrics_file());
  tensorboard_ = std::make_unique<TensorBoardWriter>(run_dir.path());
  const int64_t step = std::max<int64_t>(resumed_step, 0);
  if (resumed_step >= 0) tensorboard_->add_session_start(resumed_step);
  tensorboard_->add_text("config", "```yaml\n" + config.to_yaml() + "```", step);
  tensorboard_->add_hparams(hyperparameters(config), {"rollout/return", "rollout/length"});
  tensorboard_->flush();
  bus_.set_sink([tb = tensorboard_.get()](int64_t s, const std::map<std::string, double>& m) {
    tb->add_scalars(s, m);
    tb->flush();
  });
}

void RunTelemetry::report(Progress p, int64_t episodes, bool paused) {
  bus_.record("rollout/episodes", static_cast<double>(episodes));
  bus_.record("time/elapsed_s", p.elapsed_s);
  bus_.flush(p.step, p.elapsed_s);
  p.mean_return = bus_.latest("rollout/return");
  p.policy_lag = bus_.latest("train/policy_lag");
  log_.status(format_progress(p) + (paused ? " | PAUSED" : ""));
}

void RunTelemetry::close() {
  bus_.set_sink(nullptr);
  tensorboard_.reset();
}

}  // namespace sinew
