#ifndef FISHEROPT_PROBLEMS_CSV_READER_H_
#define FISHEROPT_PROBLEMS_CSV_READER_H_

#include <string>
#include <vector>

#include "linalg/types.h"
#include "problems/dataset.h"

namespace fisheropt {

// A CSV file with a header row, as text cells. Parsing is libcsv's (RFC 4180:
// quoted fields, embedded delimiters and newlines, CRLF); numbers are parsed
// only for the columns a model uses, so other columns may hold anything.
struct CsvTable {
  std::vector<std::string> column_names;
  std::vector<std::vector<std::string>> rows;  // rows[i][j]: text of a cell
  std::vector<int> line_numbers;  // physical line on which row i ends

  int NumRows() const { return static_cast<int>(rows.size()); }
  // Index of a column by name, or −1.
  int ColumnIndex(const std::string& name) const;
  // True when at least one cell of the column is a number. Default column
  // choices take these, so that a stray text cell in a numeric column is
  // reported (with its line) when the column is parsed, never a reason to
  // leave the column out silently; columns of text only are left out.
  bool IsNumericColumn(int column) const;
};

// Parses CSV text (the first record is the header). Errors name the line:
// malformed quoting, a row with a different number of fields than the
// header, an empty or duplicated column name, no header, no data rows.
bool ParseCsv(const std::string& text, CsvTable* table, std::string* error);

// Reads and parses a file; a missing or unreadable file is an error naming
// the path and the system's reason.
bool ReadCsvFile(const std::string& path, CsvTable* table, std::string* error);

// Which columns make a regression data set.
struct DatasetSpec {
  std::string response;
  // Predictor columns; empty means every other numeric column.
  std::vector<std::string> predictors;
  // Prepend a column of ones named "(Intercept)".
  bool intercept = true;
  // Drop rows with a missing cell (empty or NA) in a used column instead of
  // failing; the count is reported.
  bool drop_incomplete_rows = false;
};

// Builds X and y from the table. Errors name the line and column of the
// offending cell: a non-numeric value, a non-finite number (nan, inf), a
// missing value (unless dropped); and an unknown column lists the available
// ones. *rows_dropped receives the number of incomplete rows dropped.
bool BuildDataset(const CsvTable& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error);

// The chosen columns (empty: every numeric column) as an N × d matrix of
// samples, for models without a response (the multivariate normal).
bool BuildSampleMatrix(const CsvTable& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_CSV_READER_H_
