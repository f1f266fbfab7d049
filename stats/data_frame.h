#ifndef FISHEROPT_STATS_DATA_FRAME_H_
#define FISHEROPT_STATS_DATA_FRAME_H_

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "problems/csv_reader.h"

namespace fisheropt {

// What a column of a DataFrame holds.
enum class DataColumnType {
  kNumeric,  // finite doubles, NaN = missing
  kText,     // strings with a missing flag per row (a factor in a formula)
};

// One named column: `numbers` for a numeric column, `text` and `missing`
// for a text column (the other members are empty).
struct DataColumn {
  std::string name;
  DataColumnType type = DataColumnType::kNumeric;
  Eigen::VectorXd numbers;
  std::vector<std::string> text;
  std::vector<char> missing;

  bool IsMissing(int row) const;
};

// A table of named columns of one length, as R's data.frame: the input of a
// model frame (stats/model_frame.h). Numeric columns hold finite numbers or
// NaN for a missing value; text columns hold strings and a missing flag.
// Built from a CSV table (DataFrameFromCsv) or in code (AddNumericColumn,
// AddTextColumn). Rows from a file remember their line, so that messages
// name it.
class DataFrame {
 public:
  int NumRows() const { return num_rows_; }
  int NumColumns() const { return static_cast<int>(columns_.size()); }
  const std::vector<DataColumn>& columns() const { return columns_; }
  // 0 ≤ index < NumColumns().
  const DataColumn& column(int index) const { return columns_[index]; }
  std::vector<std::string> ColumnNames() const;
  // Index of a column by name, or −1.
  int ColumnIndex(const std::string& name) const;
  // "line 12" for a row read from a file, "row 3" (1-based) otherwise; for
  // messages.
  std::string RowLabel(int row) const;
  // "a, b, c" (at most 20 names, then "(and N more)"), for messages.
  std::string ColumnList() const;

  // Appends a column. The first column fixes the number of rows; a later
  // one of another length, a duplicated or empty name, and ±inf are errors.
  // NaN is a missing value.
  bool AddNumericColumn(const std::string& name, Eigen::VectorXd values,
                        std::string* error);
  // `missing` is empty (nothing missing) or one flag per value.
  bool AddTextColumn(const std::string& name, std::vector<std::string> values,
                     std::vector<char> missing, std::string* error);
  bool AddTextColumn(const std::string& name, std::vector<std::string> values,
                     std::string* error);
  // The physical line of each row (empty when built in code), set by
  // DataFrameFromCsv; `lines` has one entry per row.
  void SetLineNumbers(std::vector<int64_t> lines);

 private:
  bool CheckNewColumn(const std::string& name, int length,
                      std::string* error) const;

  std::vector<DataColumn> columns_;
  std::vector<int64_t> line_numbers_;
  int num_rows_ = 0;
};

// Builds a data frame from a CSV table: a column whose non-missing cells are
// all numbers is numeric, one whose non-missing cells are all text is a
// text column, and one with no value at all is numeric (all missing). A
// column mixing numbers and text is an error naming the column and the line
// of the first cell whose kind differs from the column's first value; a
// non-finite number (nan, inf, 1e400) is an error naming line and column.
bool DataFrameFromCsv(const CsvTable& table, DataFrame* frame,
                      std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_DATA_FRAME_H_
