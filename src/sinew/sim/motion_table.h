// OpenSim storage files (.sto / .mot): a header ending in `endheader`, a row of column labels
// starting with `time`, then tab-separated rows (REFERENCE.md section 3). Both the OpenSim 4
// header (version, nRows, nColumns, inDegrees) and the older .mot one (datacolumns, datarows,
// range) are read; files are written the OpenSim 4 way, so OpenSim and SCONE Studio open them.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace sinew {

class MotionTable {
 public:
  MotionTable() = default;
  // `labels` excludes the time column.
  MotionTable(std::string name, std::vector<std::string> labels, bool in_degrees);

  // Reads a file; throws UserError naming the file and line of the first problem (missing
  // endheader, a row with the wrong number of values, a non-number, NaN, an infinity or a
  // value beyond 1e6, counts that disagree with nRows / nColumns, times that go backwards).
  static MotionTable read(const std::filesystem::path& path);
  // The same from the text of a file; `file` names it in errors.
  static MotionTable parse(const std::string& text, const std::string& file);
  // Writes the table; throws std::runtime_error naming the file when it cannot.
  void write(const std::filesystem::path& path) const;

  void add_row(double time_s, const std::vector<double>& values);

  const std::string& name() const { return name_; }
  bool in_degrees() const { return in_degrees_; }
  const std::vector<std::string>& labels() const { return labels_; }
  std::size_t rows() const { return times_.size(); }
  const std::vector<double>& times() const { return times_; }
  double value(std::size_t row, std::size_t column) const { return data_[row][column]; }

  // Index of a column; throws UserError naming the file and the available columns.
  std::size_t column(const std::string& label) const;
  bool has_column(const std::string& label) const;
  // Linear interpolation of a column at time t (clamped to the table's time range).
  double at(double time_s, std::size_t column) const;
  // Duration from the first to the last row.
  double duration_s() const { return times_.empty() ? 0 : times_.back() - times_.front(); }

 private:
  std::string name_;
  std::string source_ = "(memory)";
  std::vector<std::string> labels_;
  bool in_degrees_ = false;
  std::vector<double> times_;
  std::vector<std::vector<double>> data_;
};

}  // namespace sinew
