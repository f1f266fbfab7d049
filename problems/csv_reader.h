#ifndef FISHEROPT_PROBLEMS_CSV_READER_H_
#define FISHEROPT_PROBLEMS_CSV_READER_H_

#include <string>
#include <vector>

#include "linalg/types.h"
#include "problems/dataset.h"

namespace fisheropt {

// Numeric CSV tables (RFC 4180, parsed by Debian's libcsv): a header row of
// column names, then one row of numbers per line. Quoted fields (with ""
// escapes and embedded delimiters or newlines), CRLF or LF line ends, spaces
// around unquoted fields, blank lines and a leading UTF-8 byte order mark are
// accepted. A cell that is empty
// or "NA" is missing: an error naming its line and column, unless
// drop_incomplete_rows is set, in which case every row with a missing cell
// (in any column) is dropped and counted. Every other cell must parse
// completely as a finite number (strtod, C locale): otherwise the error
// names the line, the column and the text. Line numbers are 1-based physical
// lines of the input (the header is line 1 when the input does not start
// with blank lines); a record spanning lines is reported at its first line.
struct CsvReadOptions {
  // Drop rows with a missing cell instead of failing; CsvTable reports how
  // many were dropped.
  bool drop_incomplete_rows = false;
  // Field delimiter; not a quote, CR or LF.
  char delimiter = ',';

  // Messages "CsvReadOptions::field = value must be ...".
  bool IsValid(std::string* error) const;
};

struct CsvTable {
  std::vector<std::string> column_names;  // From the header, unique.
  RowMatrixXd values;                     // rows × columns, all finite.
  std::vector<int> line_numbers;          // Input line of each kept row.
  int num_dropped_rows = 0;               // Rows dropped as incomplete.

  int NumRows() const { return static_cast<int>(values.rows()); }
  // The index of the column, or −1 when there is none of that name.
  int ColumnIndex(const std::string& name) const;
};

// Parses CSV text. On failure returns false with a message such as
//   "line 4, column 'x2': cannot parse 'abc' as a number".
bool ParseCsv(const std::string& text, const CsvReadOptions& options,
              CsvTable* table, std::string* error);

// Reads and parses a file; messages are prefixed with "<path>: ".
bool ReadCsvFile(const std::string& path, const CsvReadOptions& options,
                 CsvTable* table, std::string* error);

// Which columns of a table make a regression Dataset.
struct DatasetColumns {
  std::string response;                 // y
  std::vector<std::string> predictors;  // columns of X, in this order
  // Prepend a column of ones named "(Intercept)" (GlmOptions leaves it
  // unpenalized by that name).
  bool intercept = true;
  std::string weights;  // Optional prior-weights column ("" = none).
  std::string offset;   // Optional offset column ("" = none).
};

// Builds a Dataset from named columns. Unknown names are an error that lists
// the available columns; the result is validated by Dataset::IsValid (e.g.
// negative weights).
bool DatasetFromTable(const CsvTable& table, const DatasetColumns& columns,
                      Dataset* data, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_CSV_READER_H_
