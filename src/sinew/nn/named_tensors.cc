#include "sinew/nn/named_tensors.h"

#include <fmt/format.h>
#include <torch/torch.h>

#include "sinew/core/errors.h"

namespace sinew {

NamedTensors module_tensors(const torch::nn::Module& module, const std::string& prefix) {
  NamedTensors out;
  for (const auto& item : module.named_parameters(/*recurse=*/true)) {
    out[prefix + item.key()] = item.value();
  }
  return out;
}

NamedTensors normalizer_tensors(const RunningNormalizer& normalizer) {
  auto f64 = torch::TensorOptions().dtype(torch::kFloat64);
  const int d = normalizer.dim();
  return {{"obs_normalizer.mean",
           torch::from_blob(const_cast<double*>(normalizer.mean().data()), {d}, f64).clone()},
          {"obs_normalizer.var",
           torch::from_blob(const_cast<double*>(normalizer.variance().data()), {d}, f64).clone()},
          {"obs_normalizer.count", torch::tensor(normalizer.count(), f64)}};
}

namespace {

std::vector<double> vector_of(const torch::Tensor& t, int dim, const std::string& name,
                              const std::string& source) {
  if (t.dim() != 1 || t.size(0) != dim) {
    throw UserError(fmt::format("{}: tensor {} has shape {}, the env's observations need [{}]",
                                source, name, shape_text(t), dim));
  }
  auto c = t.to(torch::kFloat64).contiguous();
  return {c.data_ptr<double>(), c.data_ptr<double>() + dim};
}

}  // namespace

RunningNormalizer normalizer_from_tensors(const NamedTensors& tensors, int dim, double clip,
                                          double epsilon, double default_count,
                                          const std::string& source) {
  auto mean_it = tensors.find("obs_normalizer.mean");
  auto var_it = tensors.find("obs_normalizer.var");
  auto std_it = tensors.find("obs_normalizer.std");
  if (mean_it == tensors.end() || (var_it == tensors.end() && std_it == tensors.end())) {
    throw UserError(
        fmt::format("{}: no observation statistics (obs_normalizer.mean and .var or "
                    ".std); map them with init.keys or set init.normalizer=fresh",
                    source));
  }
  std::vector<double> mean = vector_of(mean_it->second, dim, mean_it->first, source);
  std::vector<double> var;
  if (var_it != tensors.end()) {
    var = vector_of(var_it->second, dim, var_it->first, source);
  } else {
    var = vector_of(std_it->second, dim, std_it->first, source);
    for (double& v : var) v = std::max(v * v - epsilon, 0.0);
  }
  for (int j = 0; j < dim; ++j) {
    if (!std::isfinite(mean[j]) || !std::isfinite(var[j]) || var[j] < 0) {
      throw UserError(
          fmt::format("{}: observation statistics of dimension {} are not finite "
                      "(mean {}, variance {})",
                      source, j, mean[j], var[j]));
    }
  }
  double count = default_count;
  if (auto it = tensors.find("obs_normalizer.count"); it != tensors.end()) {
    if (it->second.numel() != 1) {
      throw UserError(
          fmt::format("{}: tensor obs_normalizer.count has shape {}, expected one "
                      "number",
                      source, shape_text(it->second)));
    }
    count = it->second.to(torch::kFloat64).item<double>();
  }
  return RunningNormalizer::from_moments(std::move(mean), std::move(var), count, clip, epsilon);
}

std::string shape_text(const torch::Tensor& tensor) {
  std::string out = "[";
  for (int64_t i = 0; i < tensor.dim(); ++i) {
    out += (i ? ", " : "") + std::to_string(tensor.size(i));
  }
  return out + "]";
}

}  // namespace sinew
