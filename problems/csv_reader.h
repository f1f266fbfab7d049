#ifndef FISHEROPT_PROBLEMS_CSV_READER_H_
#define FISHEROPT_PROBLEMS_CSV_READER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "linalg/types.h"
#include "problems/csv_tokenizer.h"
#include "problems/dataset.h"

namespace fisheropt {

// How the CSV reader reads: its limits and the size of its reads.
struct CsvReadOptions {
  CsvLimits limits;
  // Bytes per read() of a file, and per piece when ParseCsv tokenizes a
  // string (tests use small pieces to cross every piece boundary). 256 KiB
  // amortizes the system call and stays in the L2 cache.
  int64_t read_block_bytes = int64_t{256} << 10;

  // A regular file's data rows are parsed in parallel: its data bytes are
  // cut into ranges of about this many bytes, each moved forward to the next
  // line start (after a '\n'), parsed by OpenMP threads and joined in file
  // order. The ranges depend on the file only, and the rows land in file
  // order, so the table (and any error) is the same for every thread count.
  // Files with fewer data bytes than two ranges, and pipes, are read by one
  // thread. 16 MiB: enough work per range to hide a thread's start, small
  // enough that two threads share the last ranges of a 100 MB file.
  int64_t range_bytes = int64_t{16} << 20;
  // Threads for the ranges; 0: omp_get_max_threads().
  int threads = 0;
  // Called now and then while a file is read (from one thread at a time,
  // never concurrently) with the bytes and data rows read so far and the
  // file's size (−1 for a pipe); the library never prints, the caller may.
  std::function<void(int64_t bytes, int64_t rows, int64_t total_bytes)>
      progress;

  // The limits are valid, 1 ≤ read_block_bytes ≤ 1 GiB, range_bytes ≥ 1,
  // threads ≥ 0.
  bool IsValid(std::string* error) const;
};

// What a cell of a CsvTable holds.
enum class CsvCellKind {
  kNumber,      // a finite number (strtod's syntax, spaces and tabs around)
  kMissing,     // empty or NA
  kNotNumeric,  // text that is not a number
  kNotFinite,   // nan, inf, or a number beyond the range of double (1e400)
};

struct CsvCell {
  CsvCellKind kind = CsvCellKind::kMissing;
  double value = 0.0;  // kNumber: the number, exactly as strtod parses it
  std::string text;    // kNotNumeric, kNotFinite: the text, spaces trimmed
};

// A CSV file with a header row, held as numbers: every cell is parsed as it
// streams in and stored as a double, in blocks of rows (row-major, all
// columns); the text of a cell is kept only when it is not a number, for the
// message that reports it. So a numeric file costs 8 bytes per cell, and the
// blocks can be released one by one while a design matrix is filled from
// them (BuildDataset on an rvalue table).
//
// Move-only: a copy of a large table is never made by accident; a
// moved-from table is empty.
class CsvTable {
 public:
  CsvTable();
  ~CsvTable();
  CsvTable(CsvTable&&) noexcept;
  CsvTable& operator=(CsvTable&&) noexcept;
  CsvTable(const CsvTable&) = delete;
  CsvTable& operator=(const CsvTable&) = delete;

  const std::vector<std::string>& column_names() const { return column_names_; }
  int NumColumns() const { return static_cast<int>(column_names_.size()); }
  int NumRows() const { return num_rows_; }
  // Index of a column by name, or −1.
  int ColumnIndex(const std::string& name) const;
  // True when at least one cell of the column is a number (finite or not).
  // Default column choices take these, so that a stray text cell in a
  // numeric column is reported (with its line) when the column is parsed,
  // never a reason to leave the column out silently; columns of text only
  // are left out.
  bool IsNumericColumn(int column) const;
  // Physical line on which row `row` (0-based, data rows) ends.
  int64_t LineNumber(int row) const;
  // What a cell holds; 0 ≤ row < NumRows(), 0 ≤ column < NumColumns().
  CsvCell Cell(int row, int column) const;

 private:
  friend class CsvTableBuilder;
  friend struct CsvTableAccess;
  friend struct CsvTableJoin;

  // Rows [first_row, first_row + capacity_rows) of the table, row-major; a
  // cell that is not a number is a NaN whose payload says what it holds
  // (csv_reader.cc: BoxedCell).
  // Blocks are mapped from the system directly (mmap), so that a released
  // block returns its memory at once whatever malloc's thresholds, and its
  // untouched pages are never resident.
  struct Unmap {
    Unmap() : bytes(0) {}
    explicit Unmap(size_t mapped_bytes) : bytes(mapped_bytes) {}
    void operator()(double* values) const;
    size_t bytes;
  };
  struct Block {
    std::unique_ptr<double, Unmap> values;
    int64_t first_row = 0;
    int64_t capacity_rows = 0;
    int64_t num_rows = 0;  // rows filled, ≥ 1
  };
  // Rows from `row` on end on consecutive lines from `line` on, up to the
  // next break (blank lines and quoted line breaks make breaks).
  struct LineBreak {
    int64_t row = 0;
    int64_t line = 0;
  };

  const double* RowValues(int row) const;

  std::vector<std::string> column_names_;
  std::vector<char> numeric_columns_;  // IsNumericColumn, one per column
  std::vector<Block> blocks_;
  std::vector<LineBreak> line_breaks_;
  // The text of every cell that is not a number, each followed by a NUL (the
  // tokenizer admits none inside a field); boxed cells hold their offset.
  std::string cell_text_;
  int num_rows_ = 0;
};

// Parses CSV text (the first record is the header), streamed through
// CsvTokenizer in pieces of options.read_block_bytes. Errors name the line:
// malformed quoting, a NUL byte, a field or record over its limit, a row with
// a different number of fields than the header, an empty or duplicated
// column name, no header, no data rows, more rows than an int counts. Text
// from the file is quoted with PrintableText.
bool ParseCsv(std::string_view text, const CsvReadOptions& options,
              CsvTable* table, std::string* error);
bool ParseCsv(std::string_view text, CsvTable* table, std::string* error);

// Reads and parses a file with read() in blocks of options.read_block_bytes;
// the file's text is never held whole. Regular files, pipes, FIFOs and
// devices (/dev/stdin) are read to their end. Errors name the path: a file
// that cannot be opened or read gives the system's reason ("Is a directory",
// "Input/output error"), a parse error is prefixed with the path.
bool ReadCsvFile(const std::string& path, const CsvReadOptions& options,
                 CsvTable* table, std::string* error);
bool ReadCsvFile(const std::string& path, CsvTable* table, std::string* error);

// One part of a file, for process `part` of `parts` (0 ≤ part < parts).
struct CsvPart {
  int part = 0;
  int parts = 1;
};

// Reads the rows of one part of a regular file: the file's data bytes (after
// the header) are cut into `parts` equal byte ranges, each cut moved forward
// to the next line start (the byte after a '\n'); part k holds the rows
// that start in its range. Every part reads the header, so each table has
// the file's column names; a part may hold no rows (a file with fewer lines
// than parts), which is not an error here. *first_row receives the file-wide
// index of the part's first data row (the number of data rows before it:
// blank lines skipped, quoted line breaks counted once per record), so
// seeded draws keyed by the row index agree with a whole-file read, and
// LineNumber() of the table gives the file's physical line numbers.
//
// A quoted field with a line break makes a byte cut ambiguous; it is
// resolved exactly: a cut moves forward to the first line start that is
// outside quotes, found by a quote-aware scan of the bytes before it (which
// also counts *first_row), so the parts are always a partition of the
// file's rows and their concatenation is the whole-file table. The scan
// reads every byte before the part's end once more (about 1 GB/s). Every
// error is the whole-file reader's, with the file's line numbers; on a
// malformed file at least the part holding the first error fails, so an
// MPI caller treats a failure of any part as a failure of all. Pipes are
// refused (their bytes cannot be cut without reading them).
bool ReadCsvFilePart(const std::string& path, const CsvReadOptions& options,
                     CsvPart part, CsvTable* table, int64_t* first_row,
                     std::string* error);

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
// ones. *rows_dropped receives the number of incomplete rows dropped. The
// cells are checked in a first pass, so that X and y are allocated once, at
// their final size.
bool BuildDataset(const CsvTable& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error);
// The same from a table given up by the caller: each block of the table is
// released as soon as its rows are in X, so the peak memory is about one
// copy of the numbers (plus one block) instead of two. On success the table
// is left empty; on failure it is unchanged.
bool BuildDataset(CsvTable&& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error);

// The chosen columns (empty: every numeric column) as an N × d matrix of
// samples, for models without a response (the multivariate normal).
bool BuildSampleMatrix(const CsvTable& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error);
// The same, releasing the table's blocks as BuildDataset(CsvTable&&) does.
bool BuildSampleMatrix(CsvTable&& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_CSV_READER_H_
