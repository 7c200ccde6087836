#include "sinew/core/running_normalizer.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sinew/core/errors.h"

namespace sinew {

RunningNormalizer::RunningNormalizer(int dim, double clip, double epsilon)
    : mean_(dim, 0.0), var_(dim, 1.0), clip_(clip), epsilon_(epsilon) {}

void RunningNormalizer::update(std::span<const float> data, int64_t rows) {
  if (rows <= 0) return;
  const int d = dim();
  // batch moments
  std::vector<double> batch_mean(d, 0.0), batch_var(d, 0.0);
  for (int64_t r = 0; r < rows; ++r) {
    for (int j = 0; j < d; ++j) batch_mean[j] += data[r * d + j];
  }
  for (int j = 0; j < d; ++j) batch_mean[j] /= static_cast<double>(rows);
  for (int64_t r = 0; r < rows; ++r) {
    for (int j = 0; j < d; ++j) {
      double diff = data[r * d + j] - batch_mean[j];
      batch_var[j] += diff * diff;
    }
  }
  for (int j = 0; j < d; ++j) batch_var[j] /= static_cast<double>(rows);
  // merge with the running moments (Chan et al.)
  double n = static_cast<double>(rows);
  double total = count_ + n;
  for (int j = 0; j < d; ++j) {
    if (held(j)) continue;
    double delta = batch_mean[j] - mean_[j];
    double m2 = var_[j] * count_ + batch_var[j] * n + delta * delta * count_ * n / total;
    mean_[j] += delta * n / total;
    var_[j] = m2 / total;
  }
  count_ = total;
}

void RunningNormalizer::normalize(std::span<const float> in, std::span<float> out,
                                  int64_t rows) const {
  const int d = dim();
  for (int j = 0; j < d; ++j) {
    double inv_std = 1.0 / std::sqrt(var_[j] + epsilon_);
    for (int64_t r = 0; r < rows; ++r) {
      double z = (in[r * d + j] - mean_[j]) * inv_std;
      out[r * d + j] = static_cast<float>(std::clamp(z, -clip_, clip_));
    }
  }
}

void RunningNormalizer::hold(int first, int count, double center, double scale) {
  if (first < 0 || count < 0 || first + count > dim()) {
    throw std::invalid_argument("normalizer: held dimensions beyond its size");
  }
  if (!(scale * scale > epsilon_)) throw std::invalid_argument("normalizer: scale too small");
  held_.resize(mean_.size(), false);
  for (int j = first; j < first + count; ++j) {
    held_[j] = true;
    mean_[j] = center;
    var_[j] = scale * scale - epsilon_;  // sqrt(var + epsilon) is the scale
  }
}

void RunningNormalizer::take_held(const RunningNormalizer& layout) {
  if (layout.dim() != dim()) throw std::invalid_argument("normalizer: layouts differ in size");
  for (int j = 0; j < dim(); ++j) {
    if (!layout.held(j)) continue;
    held_.resize(mean_.size(), false);
    held_[j] = true;
    mean_[j] = layout.mean_[j];
    var_[j] = layout.var_[j];
  }
}

RunningNormalizer RunningNormalizer::from_moments(std::vector<double> mean,
                                                  std::vector<double> variance, double count,
                                                  double clip, double epsilon) {
  if (mean.size() != variance.size()) {
    throw std::invalid_argument("normalizer mean and variance differ in size");
  }
  RunningNormalizer n;
  n.mean_ = std::move(mean);
  n.var_ = std::move(variance);
  n.count_ = count;
  n.clip_ = clip;
  n.epsilon_ = epsilon;
  return n;
}

std::string RunningNormalizer::to_json() const {
  nlohmann::json j;
  j["count"] = count_;
  j["mean"] = mean_;
  j["variance"] = var_;
  j["clip"] = clip_;
  j["epsilon"] = epsilon_;
  return j.dump(1);
}

RunningNormalizer RunningNormalizer::from_json(const std::string& text, int dim,
                                               const std::string& source) {
  try {
    auto j = nlohmann::json::parse(text);
    RunningNormalizer n(dim, j.at("clip").get<double>(), j.at("epsilon").get<double>());
    n.count_ = j.at("count").get<double>();
    n.mean_ = j.at("mean").get<std::vector<double>>();
    n.var_ = j.at("variance").get<std::vector<double>>();
    if (static_cast<int>(n.mean_.size()) != dim || static_cast<int>(n.var_.size()) != dim) {
      throw UserError(source + ": normalizer has dimension " + std::to_string(n.mean_.size()) +
                      ", the env has " + std::to_string(dim));
    }
    return n;
  } catch (const nlohmann::json::exception& e) {
    throw UserError(source + ": malformed normalizer: " + e.what());
  }
}

}  // namespace sinew
