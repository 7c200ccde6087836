#include "sinew/core/metrics_bus.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

#include "sinew/core/text_file.h"

namespace sinew {

void MetricsBus::open_csv(const std::filesystem::path& path) {
  std::lock_guard lock(mutex_);
  bool fresh = !std::filesystem::exists(path) || std::filesystem::file_size(path) == 0;
  csv_.open(path, std::ios::app);
  if (!csv_) throw std::runtime_error("cannot open " + path.string());
  if (fresh) csv_ << "step,wall_time_s,name,value\n";
}

void MetricsBus::record(const std::string& name, double value) {
  std::lock_guard lock(mutex_);
  auto& acc = pending_[name];
  acc.sum += value;
  acc.count += 1;
}

void MetricsBus::set_sink(Sink sink) {
  std::lock_guard lock(mutex_);
  sink_ = std::move(sink);
}

std::size_t MetricsBus::flush(int64_t step, double wall_time_s) {
  std::map<std::string, Accumulator> interval;
  std::map<std::string, double> means;
  std::lock_guard lock(mutex_);
  interval.swap(pending_);
  if (step != last_step_) {
    last_step_ = step;
    written_at_last_step_.clear();
  }
  for (const auto& [name, acc] : interval) {
    double mean = acc.sum / static_cast<double>(acc.count);
    latest_[name] = mean;
    if (!written_at_last_step_.insert(name).second) {
      // already written at this step: carry the values to the next step's flush
      auto& carried = pending_[name];
      carried.sum += acc.sum;
      carried.count += acc.count;
      continue;
    }
    means[name] = mean;
    if (csv_.is_open()) csv_ << fmt::format("{},{:.3f},{},{:.9g}\n", step, wall_time_s, name, mean);
    remember({step, wall_time_s, name, mean});
  }
  if (csv_.is_open()) csv_.flush();
  if (sink_ && !means.empty()) sink_(step, means);
  return means.size();
}

void MetricsBus::remember(Row row) {
  if (history_.size() >= kMaxHistoryRows) {
    history_.erase(history_.begin(), history_.begin() + kMaxHistoryRows / 10);
  }
  history_.push_back(std::move(row));
}

std::vector<MetricsBus::Row> MetricsBus::history(int64_t after_step) const {
  std::lock_guard lock(mutex_);
  std::vector<Row> out;
  for (const auto& row : history_) {
    if (row.step > after_step) out.push_back(row);
  }
  return out;
}

void MetricsBus::load_history(const std::filesystem::path& csv) {
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  std::lock_guard lock(mutex_);
  while (std::getline(in, line)) {
    auto a = line.find(','), b = line.find(',', a + 1), c = line.find(',', b + 1);
    if (c == std::string::npos) continue;
    remember({std::strtoll(line.substr(0, a).c_str(), nullptr, 10),
              std::strtod(line.substr(a + 1, b - a - 1).c_str(), nullptr),
              line.substr(b + 1, c - b - 1), std::strtod(line.substr(c + 1).c_str(), nullptr)});
  }
}

std::optional<double> MetricsBus::latest(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = latest_.find(name);
  if (it == latest_.end()) return std::nullopt;
  return it->second;
}

std::size_t truncate_metrics_csv(const std::filesystem::path& path, int64_t max_step) {
  std::ifstream in(path);
  if (!in) return 0;
  std::string line, kept;
  std::size_t dropped = 0;
  bool header = true;
  while (std::getline(in, line)) {
    if (header) {
      kept += line + "\n";
      header = false;
      continue;
    }
    // a row cut short by a crash has no third comma: drop it
    auto comma = line.find(',');
    bool complete = std::count(line.begin(), line.end(), ',') == 3;
    int64_t step = complete ? std::strtoll(line.substr(0, comma).c_str(), nullptr, 10) : 0;
    if (complete && step <= max_step) {
      kept += line + "\n";
    } else {
      ++dropped;
    }
  }
  in.close();
  write_file_atomically(path, kept);
  return dropped;
}

}  // namespace sinew
