#include "sinew/sim/motion_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "sinew/core/closest_names.h"
#include "sinew/core/errors.h"
#include "sinew/core/yaml_scalar.h"

namespace sinew {
namespace {

constexpr double kMaxMotionValue = 1e6;

std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> out;
  std::istringstream in(line);
  std::string field;
  // tabs in OpenSim files; any white space in hand-written ones
  while (in >> field) out.push_back(field);
  return out;
}

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t\r");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

}  // namespace

MotionTable::MotionTable(std::string name, std::vector<std::string> labels, bool in_degrees)
    : name_(std::move(name)), labels_(std::move(labels)), in_degrees_(in_degrees) {}

MotionTable MotionTable::read(const std::filesystem::path& path) {
  std::ifstream file_in(path, std::ios::binary);
  if (!file_in) throw UserError(fmt::format("cannot read motion file {}", path.string()));
  std::ostringstream text;
  text << file_in.rdbuf();
  return parse(text.str(), path.string());
}

MotionTable MotionTable::parse(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  MotionTable table;
  table.source_ = file;
  std::string line;
  int line_no = 0;
  std::map<std::string, std::string> header;
  bool ended = false;
  // header: the first line is the name; key=value or "key value" lines until endheader
  while (std::getline(in, line)) {
    ++line_no;
    std::string t = trim(line);
    if (t == "endheader") {
      ended = true;
      break;
    }
    if (line_no == 1 && t.find('=') == std::string::npos) {
      table.name_ = t;
      continue;
    }
    auto eq = t.find('=');
    if (eq != std::string::npos) {
      header[trim(t.substr(0, eq))] = trim(t.substr(eq + 1));
    } else if (auto parts = split(t); parts.size() >= 2) {
      header[parts[0]] = parts[1];
    }
  }
  if (!ended) throw UserError(fmt::format("{}:{}: no 'endheader' line", file, line_no));
  table.in_degrees_ = header.count("inDegrees") && parse_bool(header["inDegrees"]).value_or(false);

  // labels
  if (!std::getline(in, line)) {
    throw UserError(fmt::format("{}:{}: no column labels after endheader", file, line_no + 1));
  }
  ++line_no;
  auto labels = split(line);
  if (labels.empty() || labels[0] != "time") {
    throw UserError(fmt::format("{}:{}: the first column must be 'time'", file, line_no));
  }
  table.labels_.assign(labels.begin() + 1, labels.end());
  std::string columns_key = header.count("nColumns") ? "nColumns" : "datacolumns";
  if (header.count(columns_key)) {
    auto n = parse_int(header[columns_key]);
    if (!n || *n != static_cast<int64_t>(labels.size())) {
      throw UserError(fmt::format("{}:{}: header says {}={} but there are {} columns", file,
                                  line_no, columns_key, shortened(header[columns_key]),
                                  labels.size()));
    }
  }

  // rows
  while (std::getline(in, line)) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto fields = split(line);
    if (fields.size() != labels.size()) {
      throw UserError(fmt::format("{}:{}: {} values, expected {} (one per column)", file, line_no,
                                  fields.size(), labels.size()));
    }
    std::vector<double> values;
    for (const auto& f : fields) {
      auto v = parse_double(f);
      if (!v) {
        throw UserError(fmt::format("{}:{}: '{}' is not a number", file, line_no, shortened(f)));
      }
      // angles (deg or rad), positions (m), forces (N) and times (s) of a motion are far below
      // this; NaN, infinities and 1e308 are damage, not data
      if (!std::isfinite(*v) || std::fabs(*v) > kMaxMotionValue) {
        throw UserError(fmt::format(
            "{}:{}: value '{}' in column '{}' is not finite or out of "
            "range (|value| <= {:g})",
            file, line_no, shortened(f), shortened(labels[values.size()]), kMaxMotionValue));
      }
      values.push_back(*v);
    }
    if (!table.times_.empty() && values[0] < table.times_.back()) {
      throw UserError(fmt::format("{}:{}: time goes backwards", file, line_no));
    }
    table.times_.push_back(values[0]);
    table.data_.emplace_back(values.begin() + 1, values.end());
  }
  std::string rows_key = header.count("nRows") ? "nRows" : "datarows";
  if (header.count(rows_key)) {
    auto n = parse_int(header[rows_key]);
    if (!n || *n != static_cast<int64_t>(table.rows())) {
      throw UserError(fmt::format("{}: header says {}={} but there are {} rows", file, rows_key,
                                  shortened(header[rows_key]), table.rows()));
    }
  }
  return table;
}

void MotionTable::write(const std::filesystem::path& path) const {
  std::ofstream out(path);
  if (!out) throw std::runtime_error("cannot write " + path.string());
  out << (name_.empty() ? "sinew" : name_) << "\n";
  out << "version=1\n";
  out << "nRows=" << rows() << "\n";
  out << "nColumns=" << labels_.size() + 1 << "\n";
  out << "inDegrees=" << (in_degrees_ ? "yes" : "no") << "\n";
  out << "endheader\n";
  out << "time";
  for (const auto& l : labels_) out << '\t' << l;
  out << '\n';
  for (std::size_t r = 0; r < rows(); ++r) {
    out << fmt::format("{:.6f}", times_[r]);
    for (double v : data_[r]) out << '\t' << fmt::format("{:.8g}", v);
    out << '\n';
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

void MotionTable::add_row(double time_s, const std::vector<double>& values) {
  if (values.size() != labels_.size()) {
    throw std::logic_error(
        fmt::format("motion row has {} values for {} columns", values.size(), labels_.size()));
  }
  times_.push_back(time_s);
  data_.push_back(values);
}

bool MotionTable::has_column(const std::string& label) const {
  return std::find(labels_.begin(), labels_.end(), label) != labels_.end();
}

std::size_t MotionTable::column(const std::string& label) const {
  auto it = std::find(labels_.begin(), labels_.end(), label);
  if (it == labels_.end()) {
    auto near = closest_names(label, labels_);
    throw UserError(fmt::format("{}: no column '{}'{}", source_, label,
                                near.empty() ? "" : "; did you mean '" + near[0] + "'?"));
  }
  return static_cast<std::size_t>(it - labels_.begin());
}

double MotionTable::at(double t, std::size_t c) const {
  if (times_.empty()) return 0;
  if (t <= times_.front()) return data_.front()[c];
  if (t >= times_.back()) return data_.back()[c];
  auto hi =
      static_cast<std::size_t>(std::upper_bound(times_.begin(), times_.end(), t) - times_.begin());
  std::size_t lo = hi - 1;
  double w = (t - times_[lo]) / (times_[hi] - times_[lo]);
  return data_[lo][c] * (1 - w) + data_[hi][c] * w;
}

}  // namespace sinew
