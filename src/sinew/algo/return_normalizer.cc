#include "sinew/algo/return_normalizer.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sinew/core/errors.h"

namespace sinew {

ReturnNormalizer::ReturnNormalizer(double gamma, double clip, double epsilon)
    : gamma_(gamma), clip_(clip), moments_(1, clip, epsilon) {}

void ReturnNormalizer::update(int actor, int64_t T, int64_t N, std::span<const float> rewards,
                              std::span<const uint8_t> ended) {
  const auto rows = static_cast<std::size_t>(T * N);
  if (rewards.size() != rows || ended.size() != rows) {
    throw std::invalid_argument("return normalizer: block sizes do not match T x N");
  }
  auto [it, added] = returns_.try_emplace(actor, static_cast<std::size_t>(N), 0.0);
  std::vector<double>& g = it->second;
  if (g.size() != static_cast<std::size_t>(N)) {
    throw std::invalid_argument("return normalizer: an actor's env count changed");
  }
  scratch_.resize(static_cast<std::size_t>(N));
  for (int64_t t = 0; t < T; ++t) {
    for (int64_t n = 0; n < N; ++n) {
      const std::size_t row = static_cast<std::size_t>(t * N + n);
      g[n] = gamma_ * g[n] + rewards[row];
      scratch_[n] = static_cast<float>(g[n]);
      if (ended[row]) g[n] = 0.0;
    }
    moments_.update(scratch_, N);
  }
}

double ReturnNormalizer::scale() const {
  return 1.0 / std::sqrt(moments_.variance()[0] + moments_.epsilon());
}

void ReturnNormalizer::normalize(std::span<float> rewards) const {
  const double s = scale();
  for (float& r : rewards) r = static_cast<float>(std::clamp(r * s, -clip_, clip_));
}

std::string ReturnNormalizer::to_json() const {
  nlohmann::json j;
  j["gamma"] = gamma_;
  j["moments"] = nlohmann::json::parse(moments_.to_json());
  nlohmann::json streams = nlohmann::json::object();
  for (const auto& [actor, g] : returns_) streams[std::to_string(actor)] = g;
  j["returns"] = streams;
  return j.dump(1);
}

void ReturnNormalizer::load_json(const std::string& text, const std::string& source) {
  try {
    const auto j = nlohmann::json::parse(text);
    RunningNormalizer moments = RunningNormalizer::from_json(j.at("moments").dump(), 1, source);
    std::map<int, std::vector<double>> returns;
    for (const auto& [actor, g] : j.at("returns").items()) {
      returns[std::stoi(actor)] = g.get<std::vector<double>>();
    }
    moments_ = std::move(moments);
    returns_ = std::move(returns);
  } catch (const nlohmann::json::exception& e) {
    throw UserError(source + ": malformed return statistics (" + e.what() + ")");
  } catch (const std::logic_error& e) {  // std::stoi
    throw UserError(source + ": malformed return statistics (actor " + e.what() + ")");
  }
}

}  // namespace sinew
