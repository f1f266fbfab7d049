#include "stats/data_frame.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

// Column lists in messages stop after this many names.
constexpr int kMaxListedColumns = 20;

std::string Quoted(const std::string& text) {
  return "'" + PrintableText(text) + "'";
}

std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.15g", value);
  return buffer;
}

}  // namespace

bool DataColumn::IsMissing(int row) const {
  if (type == DataColumnType::kNumeric) return std::isnan(numbers[row]);
  return missing[row] != 0;
}

std::vector<std::string> DataFrame::ColumnNames() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const DataColumn& column : columns_) names.push_back(column.name);
  return names;
}

int DataFrame::ColumnIndex(const std::string& name) const {
  for (int j = 0; j < NumColumns(); ++j) {
    if (columns_[j].name == name) return j;
  }
  return -1;
}

std::string DataFrame::RowLabel(int row) const {
  if (row >= 0 && row < static_cast<int>(line_numbers_.size())) {
    return "line " + std::to_string(line_numbers_[row]);
  }
  return "row " + std::to_string(row + 1);
}

std::string DataFrame::ColumnList() const {
  std::string list;
  const int listed = std::min(NumColumns(), kMaxListedColumns);
  for (int j = 0; j < listed; ++j) {
    list += (j == 0 ? "" : ", ") + PrintableText(columns_[j].name);
  }
  if (listed < NumColumns()) {
    list += " (and " + std::to_string(NumColumns() - listed) + " more)";
  }
  return list;
}

bool DataFrame::CheckNewColumn(const std::string& name, int length,
                               std::string* error) const {
  if (name.empty()) {
    *error = "a data frame column needs a name";
    return false;
  }
  if (ColumnIndex(name) >= 0) {
    *error = "duplicated column name " + Quoted(name);
    return false;
  }
  if (!columns_.empty() && length != num_rows_) {
    *error = "column " + Quoted(name) + " has " + std::to_string(length) +
             " values; the data frame has " + std::to_string(num_rows_) +
             " rows";
    return false;
  }
  return true;
}

bool DataFrame::AddNumericColumn(const std::string& name,
                                 Eigen::VectorXd values, std::string* error) {
  if (!CheckNewColumn(name, static_cast<int>(values.size()), error)) {
    return false;
  }
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (std::isinf(values[i])) {
      *error = "column " + Quoted(name) + " holds " +
               (values[i] > 0 ? "inf" : "-inf") + " at " +
               RowLabel(static_cast<int>(i));
      return false;
    }
  }
  DataColumn column;
  column.name = name;
  column.type = DataColumnType::kNumeric;
  column.numbers = std::move(values);
  num_rows_ = static_cast<int>(column.numbers.size());
  columns_.push_back(std::move(column));
  return true;
}

bool DataFrame::AddTextColumn(const std::string& name,
                              std::vector<std::string> values,
                              std::vector<char> missing, std::string* error) {
  if (!CheckNewColumn(name, static_cast<int>(values.size()), error)) {
    return false;
  }
  if (missing.empty()) missing.assign(values.size(), 0);
  if (missing.size() != values.size()) {
    *error = "column " + Quoted(name) + " has " +
             std::to_string(values.size()) + " values but " +
             std::to_string(missing.size()) + " missing flags";
    return false;
  }
  DataColumn column;
  column.name = name;
  column.type = DataColumnType::kText;
  column.text = std::move(values);
  column.missing = std::move(missing);
  num_rows_ = static_cast<int>(column.text.size());
  columns_.push_back(std::move(column));
  return true;
}

bool DataFrame::AddTextColumn(const std::string& name,
                              std::vector<std::string> values,
                              std::string* error) {
  return AddTextColumn(name, std::move(values), {}, error);
}

void DataFrame::SetLineNumbers(std::vector<int64_t> lines) {
  line_numbers_ = std::move(lines);
}

bool DataFrameFromCsv(const CsvTable& table, DataFrame* frame,
                      std::string* error) {
  const int rows = table.NumRows();
  DataFrame result;
  for (int j = 0; j < table.NumColumns(); ++j) {
    const std::string& name = table.column_names()[j];
    // The kind of the column's first value decides its type; the first cell
    // of the other kind is the error.
    int first_value_row = -1;
    bool numeric = true;
    for (int i = 0; i < rows; ++i) {
      const CsvCell cell = table.Cell(i, j);
      if (cell.kind == CsvCellKind::kMissing) continue;
      if (cell.kind == CsvCellKind::kNotFinite) {
        *error = "line " + std::to_string(table.LineNumber(i)) + ", column " +
                 Quoted(name) + ": " + Quoted(cell.text) +
                 " is not a finite number";
        return false;
      }
      const bool is_number = cell.kind == CsvCellKind::kNumber;
      if (first_value_row < 0) {
        first_value_row = i;
        numeric = is_number;
      } else if (is_number != numeric) {
        const std::string what = is_number
                                     ? "the number " + FormatNumber(cell.value)
                                     : "the text " + Quoted(cell.text);
        *error = "column " + Quoted(name) + " mixes numbers and text: line " +
                 std::to_string(table.LineNumber(i)) + " holds " + what +
                 " where line " +
                 std::to_string(table.LineNumber(first_value_row)) + " holds " +
                 (numeric ? "a number" : "text");
        return false;
      }
    }
    bool added;
    if (numeric) {
      Eigen::VectorXd values(rows);
      for (int i = 0; i < rows; ++i) {
        const CsvCell cell = table.Cell(i, j);
        values[i] = cell.kind == CsvCellKind::kNumber
                        ? cell.value
                        : std::numeric_limits<double>::quiet_NaN();
      }
      added = result.AddNumericColumn(name, std::move(values), error);
    } else {
      std::vector<std::string> values(rows);
      std::vector<char> missing(rows, 0);
      for (int i = 0; i < rows; ++i) {
        CsvCell cell = table.Cell(i, j);
        if (cell.kind == CsvCellKind::kMissing) {
          missing[i] = 1;
        } else {
          values[i] = std::move(cell.text);
        }
      }
      added = result.AddTextColumn(name, std::move(values), std::move(missing),
                                   error);
    }
    if (!added) return false;
  }
  std::vector<int64_t> lines(rows);
  for (int i = 0; i < rows; ++i) lines[i] = table.LineNumber(i);
  result.SetLineNumbers(std::move(lines));
  *frame = std::move(result);
  return true;
}

}  // namespace fisheropt
