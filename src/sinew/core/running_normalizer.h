// Running mean and variance of observations (parallel Welford), used to normalize network
// inputs: (x - mean) / sqrt(var + eps), clipped to [-clip, clip]. Dimensions can be held at a
// fixed center and scale instead (pixels are not normalized per pixel): they are never updated,
// and since they are stored as mean and variance, every reader of the statistics (actors,
// exports, the Python client) applies them unchanged. Plain C++ (no torch) so actors and
// env-side code can use it; a copy is cheap and travels in parameter snapshots.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sinew {

class RunningNormalizer {
 public:
  RunningNormalizer() = default;
  explicit RunningNormalizer(int dim, double clip = 10.0, double epsilon = 1e-8);

  // Adds `rows` observations stored row after row in `data` (rows x dim).
  void update(std::span<const float> data, int64_t rows);

  // Normalizes `rows` observations from `in` into `out` (both rows x dim).
  void normalize(std::span<const float> in, std::span<float> out, int64_t rows) const;

  // From now on dimensions [first, first + count) normalize as (x - center) / scale and are
  // never updated (e.g. pixels: center 127.5, scale 127.5 gives [-1, 1]). Needs scale^2 > epsilon.
  void hold(int first, int count, double center, double scale);
  bool held(int j) const { return j < static_cast<int>(held_.size()) && held_[j]; }
  // Takes the held dimensions of `layout` (same dim) with their center and scale, e.g. after
  // statistics were loaded from a file: the normalization the env declares stays.
  void take_held(const RunningNormalizer& layout);

  // A normalizer with these moments (mean and population variance per dimension, of equal
  // size) after `count` observations.
  static RunningNormalizer from_moments(std::vector<double> mean, std::vector<double> variance,
                                        double count, double clip = 10.0, double epsilon = 1e-8);

  int dim() const { return static_cast<int>(mean_.size()); }
  double clip() const { return clip_; }
  double epsilon() const { return epsilon_; }
  double count() const { return count_; }
  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& variance() const { return var_; }

  // JSON text with every field at full precision; from_json restores it exactly. from_json
  // throws UserError naming `source` on malformed input or a dimension other than `dim`.
  std::string to_json() const;
  static RunningNormalizer from_json(const std::string& text, int dim, const std::string& source);

 private:
  std::vector<double> mean_;  // (dim)
  std::vector<double> var_;   // (dim) population variance
  std::vector<bool> held_;    // (dim, or empty: none) fixed by hold(), never updated
  double count_ = 0;
  double clip_ = 10.0;
  double epsilon_ = 1e-8;
};

}  // namespace sinew
