#include "sinew/sim/gait/gait_cycle_analysis.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {

NormativeGait NormativeGait::read(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw UserError(fmt::format("cannot read normative gait file {}", path.string()));
  NormativeGait g;
  std::string line;
  int line_no = 0;
  // hip, knee, ankle x min, mean, max
  const char* joints[] = {"hip_flexion", "knee_flexion", "ankle_flexion"};
  const char* stats[] = {"min", "mean", "max"};
  std::array<std::vector<double>, 3>* targets[] = {&g.min, &g.mean, &g.max};
  std::array<int, 9> columns;
  columns.fill(-1);
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::stringstream s(line);
    std::string f;
    while (std::getline(s, f, ',')) fields.push_back(f);
    if (columns[0] < 0) {
      for (int k = 0; k < 9; ++k) {
        const std::string name = fmt::format("{}_{}", joints[k / 3], stats[k % 3]);
        for (std::size_t c = 0; c < fields.size(); ++c) {
          if (fields[c] == name) columns[k] = static_cast<int>(c);
        }
        if (columns[k] < 0) {
          throw UserError(fmt::format("{}:{}: no column {}", path.string(), line_no, name));
        }
      }
      continue;
    }
    for (int k = 0; k < 9; ++k) {
      auto v = columns[k] < static_cast<int>(fields.size()) ? parse_double(fields[columns[k]])
                                                            : std::nullopt;
      if (!v) {
        throw UserError(fmt::format("{}:{}: bad or missing {}_{}", path.string(), line_no,
                                    joints[k / 3], stats[k % 3]));
      }
      (*targets[k % 3])[k / 3].push_back(*v);
    }
  }
  if (g.mean[0].size() < 2) throw UserError(path.string() + ": no data rows");
  return g;
}

void GaitCycleAnalysis::clear() {
  time_.clear();
  load_.clear();
  for (auto& a : angle_) a.clear();
}

void GaitCycleAnalysis::add(double t, double hip, double knee, double ankle, double load) {
  time_.push_back(t);
  angle_[0].push_back(hip);
  angle_[1].push_back(knee);
  angle_[2].push_back(ankle);
  load_.push_back(load);
}

std::vector<std::size_t> GaitCycleAnalysis::heel_strikes() const {
  std::vector<std::size_t> strikes;
  double unloaded_since = time_.empty() ? 0 : time_.front();
  bool loaded = !load_.empty() && load_.front() >= o_.load_threshold_bw;
  for (std::size_t i = 1; i < load_.size(); ++i) {
    const bool now = load_[i] >= o_.load_threshold_bw;
    if (!now && loaded) unloaded_since = time_[i];
    if (now && !loaded && time_[i] - unloaded_since >= o_.min_swing_s) strikes.push_back(i);
    loaded = now;
  }
  return strikes;
}

int GaitCycleAnalysis::complete_cycles() const {
  const int strikes = static_cast<int>(heel_strikes().size());
  return std::max(0, strikes - 1 - o_.skip_cycles);
}

void GaitCycleAnalysis::save(BinaryWriter* out) const {
  out->put_vector(time_);
  out->put_vector(load_);
  for (const auto& a : angle_) out->put_vector(a);
}

void GaitCycleAnalysis::load(BinaryReader* in) {
  time_ = in->get_vector<double>();
  load_ = in->get_vector<double>();
  for (auto& a : angle_) a = in->get_vector<double>();
  for (const auto& a : angle_) {
    if (a.size() != time_.size()) in->fail("gait cycle samples of unequal length");
  }
}

double GaitCycleAnalysis::correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n < 2) return 0;
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) * (a[i] - ma);
    sbb += (b[i] - mb) * (b[i] - mb);
  }
  return saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
}

std::array<double, 3> GaitCycleAnalysis::similarity(const NormativeGait& normative) const {
  std::array<double, 3> result = {0, 0, 0};
  const auto strikes = heel_strikes();
  const int first = o_.skip_cycles;
  const int cycles = static_cast<int>(strikes.size()) - 1 - first;
  if (cycles <= 0) return result;
  const std::size_t samples = normative.mean[0].size();
  for (int k = 0; k < 3; ++k) {
    std::vector<double> mean_cycle(samples, 0.0);
    for (int c = first; c < first + cycles; ++c) {
      const std::size_t begin = strikes[c], end = strikes[c + 1];
      const double t0 = time_[begin], t1 = time_[end];
      // time-normalize by linear interpolation
      std::size_t j = begin;
      for (std::size_t s = 0; s < samples; ++s) {
        const double t = t0 + (t1 - t0) * static_cast<double>(s) / (samples - 1);
        while (j + 1 < end && time_[j + 1] < t) ++j;
        const double w = time_[j + 1] > time_[j] ? (t - time_[j]) / (time_[j + 1] - time_[j]) : 0;
        mean_cycle[s] += (angle_[k][j] * (1 - w) + angle_[k][j + 1] * w) / cycles;
      }
    }
    result[k] = correlation(mean_cycle, normative.mean[k]);
  }
  return result;
}

}  // namespace sinew
