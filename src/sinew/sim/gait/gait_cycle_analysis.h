// Gait cycles of one leg from a recorded episode, compared with normative walking:
// heel strikes are where the foot's vertical load rises through a threshold (0.1 body weights)
// after at least min_swing_s unloaded; the first `skip_cycles` cycles are ignored (the start is
// not steady); the remaining cycles' hip flexion, knee flexion and ankle dorsiflexion curves are
// time-normalized to 101 samples, averaged, and correlated (Pearson) with the normative mean
// curves of normative_gait.csv.
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include "sinew/core/binary_io.h"

namespace sinew {

// The normative curves over one gait cycle (101 samples, degrees; knee flexion positive): the
// mean and the min/max band across subjects.
struct NormativeGait {
  std::array<std::vector<double>, 3> mean, min, max;  // each: hip, knee, ankle
  // Reads the min/mean/max CSV (columns {hip,knee,ankle}_flexion_{min,mean,max}); throws
  // UserError naming the file and line.
  static NormativeGait read(const std::filesystem::path& path);
};

class GaitCycleAnalysis {
 public:
  struct Options {
    double load_threshold_bw = 0.1;
    double min_swing_s = 0.1;
    int skip_cycles = 1;
  };
  explicit GaitCycleAnalysis(Options options) : o_(options) {}
  GaitCycleAnalysis() : GaitCycleAnalysis(Options{}) {}

  void clear();
  // One sample: angles in degrees (knee flexion positive), foot load in body weights.
  void add(double time_s, double hip_deg, double knee_flexion_deg, double ankle_deg,
           double load_bw);

  // Start indices of the detected heel strikes.
  std::vector<std::size_t> heel_strikes() const;
  // Correlations (hip, knee, ankle) of the mean cycle with the normative mean; 0 when no
  // complete cycle is left after skipping.
  std::array<double, 3> similarity(const NormativeGait& normative) const;
  int complete_cycles() const;

  // The recorded samples, for saving a simulation mid-episode.
  void save(BinaryWriter* out) const;
  void load(BinaryReader* in);

  // Pearson correlation of two equally long series (0 when either is constant).
  static double correlation(const std::vector<double>& a, const std::vector<double>& b);

 private:
  Options o_;
  std::vector<double> time_, load_;
  std::array<std::vector<double>, 3> angle_;
};

}  // namespace sinew
