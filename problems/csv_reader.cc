#include "problems/csv_reader.h"

#include <fcntl.h>
#include <omp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <utility>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

// A cell that is not a number is stored as a quiet NaN whose payload says
// what it holds: bits 48–49 its kind (1 missing, 2 not numeric, 3 not
// finite), bits 0–47 the offset of its text in CsvTable::cell_text_. A NaN in
// the file is a kNotFinite cell, so no number is ever stored as a NaN and
// every NaN in a block is a boxed cell; boxes are only copied, never
// computed with, so their payload survives.
constexpr uint64_t kQuietNanBits = 0x7FF8000000000000;
constexpr int kKindShift = 48;
constexpr uint64_t kOffsetMask = (uint64_t{1} << kKindShift) - 1;

uint64_t KindCode(CsvCellKind kind) {
  switch (kind) {
    case CsvCellKind::kMissing:
      return 1;
    case CsvCellKind::kNotNumeric:
      return 2;
    case CsvCellKind::kNotFinite:
      return 3;
    case CsvCellKind::kNumber:
      break;
  }
  return 0;
}

double Box(CsvCellKind kind, uint64_t text_offset) {
  const uint64_t bits =
      kQuietNanBits | (KindCode(kind) << kKindShift) | text_offset;
  double value;
  std::memcpy(&value, &bits, sizeof(value));
  return value;
}

bool IsBoxed(double value) { return std::isnan(value); }

uint64_t BoxBits(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  return bits;
}

CsvCellKind BoxKind(double value) {
  switch ((BoxBits(value) >> kKindShift) & 3) {
    case 2:
      return CsvCellKind::kNotNumeric;
    case 3:
      return CsvCellKind::kNotFinite;
    default:
      return CsvCellKind::kMissing;
  }
}

uint64_t BoxTextOffset(double value) { return BoxBits(value) & kOffsetMask; }

// Blocks grow from 64 KiB to 16 MiB of values: small files stay small, and
// while X fills from a released table the memory beyond X is at most one
// block. Blocks are mapped (AllocateBlock), so a release returns its memory
// to the system at once and untouched pages of the last block are never
// resident.
constexpr int64_t kFirstBlockBytes = int64_t{64} << 10;
constexpr int64_t kMaxBlockBytes = int64_t{16} << 20;

// Names listed in an "unknown column" message.
constexpr int kMaxListedColumns = 50;

// Asks the kernel to back a large array with transparent huge pages where
// they are enabled on request (Linux's "madvise" mode), as numpy does for
// arrays of 4 MiB and more: the blocks and X are written once, front to
// back, and a 4 KiB page fault per 512 doubles costs a fifth of the reading
// time otherwise. Advice only: nothing changes where it is not honoured.
void AdviseHugePages(void* data, size_t bytes) {
#ifdef MADV_HUGEPAGE
  constexpr size_t kMinBytes = size_t{4} << 20;
  if (bytes < kMinBytes) return;
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  const uintptr_t begin =
      (reinterpret_cast<uintptr_t>(data) + page - 1) / page * page;
  const uintptr_t end =
      (reinterpret_cast<uintptr_t>(data) + bytes) / page * page;
  if (end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)data;
  (void)bytes;
#endif
}

// Anonymous memory for `count` doubles, or null when the system has none.
double* AllocateBlock(int64_t count) {
  const size_t bytes = sizeof(double) * static_cast<size_t>(count);
  void* memory = mmap(nullptr, bytes, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (memory == MAP_FAILED) return nullptr;
  AdviseHugePages(memory, bytes);
  return static_cast<double*>(memory);
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

std::string AvailableColumns(const CsvTable& table) {
  std::string list;
  const int listed = std::min(table.NumColumns(), kMaxListedColumns);
  for (int j = 0; j < listed; ++j) {
    list += (list.empty() ? "" : ", ") + PrintableText(table.column_names()[j]);
  }
  if (listed < table.NumColumns()) {
    list += " (and " + std::to_string(table.NumColumns() - listed) + " more)";
  }
  return list;
}

bool ResolveColumn(const CsvTable& table, const std::string& name, int* column,
                   std::string* error) {
  *column = table.ColumnIndex(name);
  if (*column >= 0) return true;
  *error = "unknown column '" + PrintableText(name) +
           "'; available columns: " + AvailableColumns(table);
  return false;
}

// Closes a file descriptor when it goes out of scope.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  ~FileDescriptor() {
    if (fd_ >= 0) close(fd_);
  }
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

// Fills a CsvTable from the tokenizer's fields: the header's names, then
// every data cell parsed into its slot of the current block as it arrives.
class CsvTableBuilder : public CsvFieldHandler {
 public:
  explicit CsvTableBuilder(CsvTable* table) : table_(table) {}
  // A builder of data rows only, for a range of a file whose header has
  // `num_columns` columns (read apart); the table gets no column names.
  CsvTableBuilder(CsvTable* table, int num_columns)
      : table_(table), in_header_(false), num_columns_(num_columns) {
    table_->numeric_columns_.assign(num_columns, 0);
  }

  bool OnField(std::string_view text, std::string* error) override;
  bool OnRecordEnd(int64_t line, std::string* error) override;
  // After the tokenizer's Finish: a header and at least one row.
  bool Finish(std::string* error) const;

  // Makes OnRecordEnd stop the stream after a valid header, with an empty
  // message and header_done() true.
  void StopAfterHeader() { stop_after_header_ = true; }
  bool header_done() const { return header_done_; }

 private:
  bool EndHeader(int64_t line, std::string* error);
  // The slot of the next row, in a new block when the last one is full.
  double* NextRowSlot();
  double ParseCell(std::string_view field, int column);

  CsvTable* table_;
  bool in_header_ = true;
  bool stop_after_header_ = false;
  bool header_done_ = false;
  int num_columns_ = 0;     // of the header
  int64_t num_fields_ = 0;  // fields of the current record so far
  double* row_ = nullptr;   // the current data row's slot
  int64_t next_block_bytes_ = kFirstBlockBytes;
  int64_t next_line_ = 0;    // the line the next row ends on without a break
  std::string number_text_;  // NUL-terminated copy for strtod
};

bool CsvTableBuilder::OnField(std::string_view text, std::string* error) {
  if (in_header_) {
    // Only reachable with a max_record_bytes far above the default.
    if (table_->column_names_.size() == INT_MAX) {
      *error = "the header has more columns than the reader counts (" +
               std::to_string(INT_MAX) + ")";
      return false;
    }
    table_->column_names_.emplace_back(Trim(text));
  } else {
    if (num_fields_ == 0) {
      row_ = NextRowSlot();
      if (row_ == nullptr) {
        *error = "out of memory for the table's values";
        return false;
      }
    }
    if (num_fields_ < num_columns_) {
      const int column = static_cast<int>(num_fields_);
      row_[column] = ParseCell(text, column);
    }
  }
  ++num_fields_;
  return true;
}

double CsvTableBuilder::ParseCell(std::string_view field, int column) {
  const std::string_view text = Trim(field);
  if (text.empty() || text == "NA") return Box(CsvCellKind::kMissing, 0);
  // The fast path: std::from_chars rounds correctly, as strtod does, so a
  // finite number it reads in full has strtod's value.
  double value = 0.0;
  const char* end = text.data() + text.size();
  const auto [stop, status] = std::from_chars(text.data(), end, value);
  if (status == std::errc() && stop == end && std::isfinite(value)) {
    table_->numeric_columns_[column] = 1;
    return value;
  }
  // strtod decides the rest, as it always has: a leading '+', hexadecimal,
  // nan, inf, and numbers beyond the range of double (1e400 → inf).
  number_text_.assign(text);
  char* number_end = nullptr;
  value = std::strtod(number_text_.c_str(), &number_end);
  CsvCellKind kind = CsvCellKind::kNumber;
  if (number_end != number_text_.c_str() + number_text_.size()) {
    kind = CsvCellKind::kNotNumeric;
  } else if (!std::isfinite(value)) {
    kind = CsvCellKind::kNotFinite;
  }
  if (kind != CsvCellKind::kNotNumeric) table_->numeric_columns_[column] = 1;
  if (kind == CsvCellKind::kNumber) return value;
  const uint64_t offset = table_->cell_text_.size();
  table_->cell_text_.append(text);
  table_->cell_text_.push_back('\0');
  return Box(kind, offset);
}

double* CsvTableBuilder::NextRowSlot() {
  std::vector<CsvTable::Block>& blocks = table_->blocks_;
  const int64_t row = table_->num_rows_;
  const int64_t columns = num_columns_;
  if (blocks.empty() ||
      row == blocks.back().first_row + blocks.back().capacity_rows) {
    CsvTable::Block block;
    block.first_row = row;
    block.capacity_rows = std::max<int64_t>(
        1, next_block_bytes_ / static_cast<int64_t>(sizeof(double) * columns));
    const int64_t count = block.capacity_rows * columns;
    double* values = AllocateBlock(count);
    if (values == nullptr) return nullptr;
    block.values = std::unique_ptr<double, CsvTable::Unmap>(
        values, CsvTable::Unmap(sizeof(double) * static_cast<size_t>(count)));
    blocks.push_back(std::move(block));
    next_block_bytes_ = std::min(2 * next_block_bytes_, kMaxBlockBytes);
  }
  const CsvTable::Block& block = blocks.back();
  return block.values.get() + (row - block.first_row) * columns;
}

bool CsvTableBuilder::OnRecordEnd(int64_t line, std::string* error) {
  const int64_t num_fields = num_fields_;
  num_fields_ = 0;
  if (in_header_) {
    if (!EndHeader(line, error)) return false;
    if (!stop_after_header_) return true;
    header_done_ = true;
    error->clear();
    return false;
  }
  if (num_fields != num_columns_) {
    *error = "line " + std::to_string(line) + " has " +
             std::to_string(num_fields) + " fields; the header has " +
             std::to_string(num_columns_);
    return false;
  }
  if (table_->num_rows_ == INT_MAX) {
    *error = "line " + std::to_string(line) + " is data row " +
             std::to_string(int64_t{INT_MAX} + 1) +
             ": more rows than the reader counts (" + std::to_string(INT_MAX) +
             ")";
    return false;
  }
  if (table_->line_breaks_.empty() || line != next_line_) {
    table_->line_breaks_.push_back({table_->num_rows_, line});
  }
  next_line_ = line + 1;
  ++table_->num_rows_;
  ++table_->blocks_.back().num_rows;
  return true;
}

bool CsvTableBuilder::EndHeader(int64_t line, std::string* error) {
  in_header_ = false;
  next_line_ = line + 1;
  const std::vector<std::string>& names = table_->column_names_;
  const int n = static_cast<int>(names.size());
  // The first offending column in order, as a scan that checks each name
  // for emptiness, then against the earlier ones, would find it; sorting
  // indices keeps the memory at 4 bytes a column.
  int first_empty = n;
  for (int j = 0; j < n; ++j) {
    if (names[j].empty()) {
      first_empty = j;
      break;
    }
  }
  std::vector<int> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return names[a] < names[b]; });
  int first_repeat = n;
  int first_occurrence = 0;
  for (int k = 1, group_start = 0; k < n; ++k) {
    if (names[order[k]] != names[order[k - 1]]) {
      group_start = k;
    } else if (order[k] < first_repeat) {
      first_repeat = order[k];
      first_occurrence = order[group_start];
    }
  }
  if (first_empty < n && first_empty <= first_repeat) {
    *error = "column " + std::to_string(first_empty + 1) +
             " of the header (line " + std::to_string(line) +
             ") has an empty name";
    return false;
  }
  if (first_repeat < n) {
    *error = "duplicated column name '" + PrintableText(names[first_repeat]) +
             "' (columns " + std::to_string(first_occurrence + 1) + " and " +
             std::to_string(first_repeat + 1) + ")";
    return false;
  }
  table_->numeric_columns_.assign(n, 0);
  num_columns_ = n;
  return true;
}

bool CsvTableBuilder::Finish(std::string* error) const {
  if (in_header_) {
    *error = "the file is empty: expected a header row";
    return false;
  }
  if (table_->num_rows_ == 0) {
    *error = "the file has a header but no data rows";
    return false;
  }
  return true;
}

// What BuildDataset and BuildSampleMatrix need from a table's blocks.
struct CsvTableAccess {
  // Checks the chosen columns of every row, in row order and in the order of
  // `columns` within a row: a missing cell fails (or, when dropping, ends
  // the row's check: the row is dropped), a non-numeric or non-finite one
  // fails. Messages are built only here, on failure.
  static bool CheckColumns(const CsvTable& table,
                           const std::vector<int>& columns, bool drop,
                           int* rows_kept, int* rows_dropped,
                           std::string* error) {
    *rows_kept = 0;
    *rows_dropped = 0;
    const int64_t width = table.NumColumns();
    for (const CsvTable::Block& block : table.blocks_) {
      const int64_t rows = block.num_rows;
      for (int64_t r = 0; r < rows; ++r) {
        const double* row = block.values.get() + r * width;
        bool complete = true;
        for (const int column : columns) {
          const double value = row[column];
          if (!IsBoxed(value)) continue;
          const CsvCellKind kind = BoxKind(value);
          if (kind == CsvCellKind::kMissing && drop) {
            complete = false;
            break;
          }
          const int row_index = static_cast<int>(block.first_row + r);
          *error = CellError(table, row_index, column, value);
          return false;
        }
        if (complete) {
          ++*rows_kept;
        } else {
          ++*rows_dropped;
        }
      }
    }
    if (*rows_kept == 0) {
      *error = "no complete rows remain after dropping " +
               std::to_string(*rows_dropped) + " incomplete rows";
      return false;
    }
    return true;
  }

  static std::string CellError(const CsvTable& table, int row, int column,
                               double value) {
    const std::string where = "line " + std::to_string(table.LineNumber(row)) +
                              ", column '" +
                              PrintableText(table.column_names_[column]) + "'";
    const CsvCellKind kind = BoxKind(value);
    if (kind == CsvCellKind::kMissing) {
      return "missing value (empty or NA) at " + where +
             "; drop incomplete rows to fit without it";
    }
    const std::string text = PrintableText(Text(table, value));
    return (kind == CsvCellKind::kNotNumeric ? "non-numeric value '"
                                             : "non-finite value '") +
           text + "' at " + where;
  }

  static const char* Text(const CsvTable& table, double boxed) {
    return table.cell_text_.c_str() + BoxTextOffset(boxed);
  }

  // Calls write(row) with the values of every row whose chosen columns are
  // all numbers, in order. With `release` (the same table's blocks), each
  // block is freed once its rows are written.
  template <typename WriteRow>
  static void ForEachCompleteRow(const CsvTable& table,
                                 const std::vector<int>& columns,
                                 std::vector<CsvTable::Block>* release,
                                 WriteRow write) {
    const int64_t width = table.NumColumns();
    for (size_t b = 0; b < table.blocks_.size(); ++b) {
      const CsvTable::Block& block = table.blocks_[b];
      const int64_t rows = block.num_rows;
      for (int64_t r = 0; r < rows; ++r) {
        const double* row = block.values.get() + r * width;
        bool complete = true;
        for (const int column : columns) complete &= !IsBoxed(row[column]);
        if (complete) write(row);
      }
      if (release != nullptr) (*release)[b].values.reset();
    }
  }

  static std::vector<CsvTable::Block>* Blocks(CsvTable* table) {
    return &table->blocks_;
  }
};

namespace {

// The response's column first, then the predictors'.
bool DatasetColumns(const CsvTable& table, const DatasetSpec& spec,
                    std::vector<int>* columns, std::string* error) {
  int response = -1;
  if (!ResolveColumn(table, spec.response, &response, error)) return false;
  *columns = {response};
  if (spec.predictors.empty()) {
    for (int j = 0; j < table.NumColumns(); ++j) {
      if (j != response && table.IsNumericColumn(j)) columns->push_back(j);
    }
    return true;
  }
  for (const std::string& name : spec.predictors) {
    int column = -1;
    if (!ResolveColumn(table, name, &column, error)) return false;
    if (column == response) {
      *error = "column '" + PrintableText(name) +
               "' is both the response and a predictor";
      return false;
    }
    if (std::find(columns->begin(), columns->end(), column) != columns->end()) {
      *error = "predictor '" + PrintableText(name) + "' is listed twice";
      return false;
    }
    columns->push_back(column);
  }
  return true;
}

bool BuildDatasetFrom(const CsvTable& table, CsvTable* release,
                      const DatasetSpec& spec, Dataset* data, int* rows_dropped,
                      std::string* error) {
  std::vector<int> columns;
  if (!DatasetColumns(table, spec, &columns, error)) return false;
  int rows_kept = 0;
  if (!CsvTableAccess::CheckColumns(table, columns, spec.drop_incomplete_rows,
                                    &rows_kept, rows_dropped, error)) {
    return false;
  }
  const int offset = spec.intercept ? 1 : 0;
  const Eigen::Index p = static_cast<Eigen::Index>(columns.size()) - 1 + offset;
  if (p == 0) {
    *error = "no predictors: give predictor columns or keep the intercept";
    return false;
  }
  *data = Dataset();
  data->response_name = spec.response;
  if (spec.intercept) data->column_names.push_back("(Intercept)");
  for (size_t k = 1; k < columns.size(); ++k) {
    data->column_names.push_back(table.column_names()[columns[k]]);
  }
  data->y.resize(rows_kept);
  data->x.resize(rows_kept, p);
  AdviseHugePages(data->x.data(), sizeof(double) * data->x.size());
  AdviseHugePages(data->y.data(), sizeof(double) * data->y.size());
  double* x = data->x.data();
  double* y = data->y.data();
  const size_t num_predictors = columns.size() - 1;
  CsvTableAccess::ForEachCompleteRow(
      table, columns,
      release == nullptr ? nullptr : CsvTableAccess::Blocks(release),
      [&](const double* row) {
        *y++ = row[columns[0]];
        if (offset == 1) *x++ = 1.0;
        for (size_t k = 1; k <= num_predictors; ++k) *x++ = row[columns[k]];
      });
  if (release != nullptr) *release = CsvTable();
  return true;
}

bool SampleColumns(const CsvTable& table,
                   const std::vector<std::string>& variables,
                   std::vector<int>* columns, std::string* error) {
  columns->clear();
  if (variables.empty()) {
    for (int j = 0; j < table.NumColumns(); ++j) {
      if (table.IsNumericColumn(j)) columns->push_back(j);
    }
    if (columns->empty()) {
      *error =
          "no numeric columns; available columns: " + AvailableColumns(table);
      return false;
    }
    return true;
  }
  for (const std::string& name : variables) {
    int column = -1;
    if (!ResolveColumn(table, name, &column, error)) return false;
    if (std::find(columns->begin(), columns->end(), column) != columns->end()) {
      *error = "variable '" + PrintableText(name) + "' is listed twice";
      return false;
    }
    columns->push_back(column);
  }
  return true;
}

bool BuildSampleMatrixFrom(const CsvTable& table, CsvTable* release,
                           const std::vector<std::string>& variables,
                           bool drop_incomplete_rows, RowMatrixXd* samples,
                           std::vector<std::string>* names, int* rows_dropped,
                           std::string* error) {
  std::vector<int> columns;
  if (!SampleColumns(table, variables, &columns, error)) return false;
  names->clear();
  for (int column : columns) names->push_back(table.column_names()[column]);
  int rows_kept = 0;
  if (!CsvTableAccess::CheckColumns(table, columns, drop_incomplete_rows,
                                    &rows_kept, rows_dropped, error)) {
    return false;
  }
  samples->resize(rows_kept, static_cast<Eigen::Index>(columns.size()));
  AdviseHugePages(samples->data(), sizeof(double) * samples->size());
  double* out = samples->data();
  CsvTableAccess::ForEachCompleteRow(
      table, columns,
      release == nullptr ? nullptr : CsvTableAccess::Blocks(release),
      [&](const double* row) {
        for (const int column : columns) *out++ = row[column];
      });
  if (release != nullptr) *release = CsvTable();
  return true;
}

}  // namespace

CsvTable::CsvTable() = default;
CsvTable::~CsvTable() = default;
// A moved-from table is empty, as a new one.
CsvTable::CsvTable(CsvTable&& other) noexcept { *this = std::move(other); }

CsvTable& CsvTable::operator=(CsvTable&& other) noexcept {
  column_names_ = std::exchange(other.column_names_, {});
  numeric_columns_ = std::exchange(other.numeric_columns_, {});
  blocks_ = std::exchange(other.blocks_, {});
  line_breaks_ = std::exchange(other.line_breaks_, {});
  cell_text_ = std::exchange(other.cell_text_, {});
  num_rows_ = std::exchange(other.num_rows_, 0);
  return *this;
}

int CsvTable::ColumnIndex(const std::string& name) const {
  const auto it = std::find(column_names_.begin(), column_names_.end(), name);
  return it == column_names_.end()
             ? -1
             : static_cast<int>(it - column_names_.begin());
}

bool CsvTable::IsNumericColumn(int column) const {
  return numeric_columns_[column] != 0;
}

int64_t CsvTable::LineNumber(int row) const {
  // The last break at or before the row.
  const auto after =
      std::upper_bound(line_breaks_.begin(), line_breaks_.end(), row,
                       [](int64_t r, const LineBreak& line_break) {
                         return r < line_break.row;
                       });
  const LineBreak& line_break = *(after - 1);
  return line_break.line + (row - line_break.row);
}

const double* CsvTable::RowValues(int row) const {
  const auto after = std::upper_bound(
      blocks_.begin(), blocks_.end(), row,
      [](int64_t r, const Block& block) { return r < block.first_row; });
  const Block& block = *(after - 1);
  return block.values.get() + (row - block.first_row) * NumColumns();
}

CsvCell CsvTable::Cell(int row, int column) const {
  const double value = RowValues(row)[column];
  CsvCell cell;
  if (!IsBoxed(value)) {
    cell.kind = CsvCellKind::kNumber;
    cell.value = value;
    return cell;
  }
  cell.kind = BoxKind(value);
  if (cell.kind != CsvCellKind::kMissing) {
    cell.text = CsvTableAccess::Text(*this, value);
  }
  return cell;
}

bool CsvReadOptions::IsValid(std::string* error) const {
  if (!limits.IsValid(error)) return false;
  constexpr int64_t kMaxReadBlockBytes = int64_t{1} << 30;
  if (read_block_bytes < 1 || read_block_bytes > kMaxReadBlockBytes) {
    *error = "CsvReadOptions::read_block_bytes = " +
             std::to_string(read_block_bytes) + " must be in [1, " +
             std::to_string(kMaxReadBlockBytes) + "]";
    return false;
  }
  if (range_bytes < 1) {
    *error = "CsvReadOptions::range_bytes = " + std::to_string(range_bytes) +
             " must be >= 1";
    return false;
  }
  if (threads < 0) {
    *error = "CsvReadOptions::threads = " + std::to_string(threads) +
             " must be >= 0";
    return false;
  }
  return true;
}

bool ParseCsv(std::string_view text, const CsvReadOptions& options,
              CsvTable* table, std::string* error) {
  *table = CsvTable();
  if (!options.IsValid(error)) return false;
  CsvTableBuilder builder(table);
  CsvTokenizer tokenizer(options.limits, &builder);
  const size_t piece = static_cast<size_t>(options.read_block_bytes);
  bool ok = true;
  for (size_t at = 0; ok && at < text.size(); at += piece) {
    ok = tokenizer.Feed(text.substr(at, piece), error);
  }
  ok = ok && tokenizer.Finish(error) && builder.Finish(error);
  if (!ok) *table = CsvTable();
  return ok;
}

bool ParseCsv(std::string_view text, CsvTable* table, std::string* error) {
  return ParseCsv(text, CsvReadOptions(), table, error);
}

namespace {

std::string QuotedPath(const std::string& path) {
  return "'" + PrintableText(path, path.size()) + "'";
}

// Reads bytes [begin, end) of a file with pread() in pieces of the buffer's
// size and passes each to feed(piece) (false stops). A read error sets
// *error with the path and the system's reason and *read_failed.
template <typename Feed>
bool ReadRange(int fd, const std::string& path, int64_t begin, int64_t end,
               char* buffer, int64_t buffer_bytes, Feed feed, bool* read_failed,
               std::string* error) {
  for (int64_t at = begin; at < end;) {
    const ssize_t got = pread(fd, buffer, std::min(buffer_bytes, end - at), at);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      *read_failed = true;
      *error = "cannot read " + QuotedPath(path) + ": " +
               (got < 0 ? std::strerror(errno) : "the file shrank while read");
      return false;
    }
    if (!feed(std::string_view(buffer, got))) return false;
    at += got;
  }
  return true;
}

// Where a file's data rows start, after its header.
struct HeaderEnd {
  int64_t offset = 0;  // the byte after the header's line terminator
  int64_t line = 1;    // the line of that byte
};

// Reads the header of a regular file into `table` (its names). On failure,
// *error is the parse error (without the path) unless *read_failed.
bool ReadHeader(int fd, const std::string& path, int64_t file_bytes,
                const CsvReadOptions& options, CsvTable* table,
                HeaderEnd* header, bool* read_failed, std::string* error) {
  CsvTableBuilder builder(table);
  builder.StopAfterHeader();
  CsvTokenizer tokenizer(options.limits, &builder);
  std::unique_ptr<char[]> buffer(new char[options.read_block_bytes]);
  const bool fed = ReadRange(
      fd, path, 0, file_bytes, buffer.get(), options.read_block_bytes,
      [&](std::string_view piece) { return tokenizer.Feed(piece, error); },
      read_failed, error);
  if (!fed && (*read_failed || !builder.header_done())) return false;
  if (fed) {
    // The header is the whole file, or the file is empty.
    if (!tokenizer.Finish(error) && !builder.header_done()) return false;
    if (!builder.header_done()) {
      *error = "the file is empty: expected a header row";
      return false;
    }
    header->offset = file_bytes;
    header->line = tokenizer.line();
    return true;
  }
  header->offset = tokenizer.record_start();
  header->line = tokenizer.line();
  return true;
}

// The first line start at or after `at` (the byte after a '\n'), or `end`.
int64_t NextLineStart(int fd, const std::string& path, int64_t at, int64_t end,
                      bool* read_failed, std::string* error) {
  char buffer[64 << 10];
  int64_t found = -1;
  int64_t position = at - 1;  // the byte before a line start is a '\n'
  const bool ok = ReadRange(
      fd, path, position, end, buffer, sizeof(buffer),
      [&](std::string_view piece) {
        const void* newline = std::memchr(piece.data(), '\n', piece.size());
        if (newline != nullptr) {
          found = position + (static_cast<const char*>(newline) - piece.data());
          return false;
        }
        position += static_cast<int64_t>(piece.size());
        return true;
      },
      read_failed, error);
  if (!ok && *read_failed) return -1;
  return found < 0 ? end : found + 1;
}

// Counts records and line feeds as the tokenizer does, without tokenizing:
// quotes toggle a quoted state (so "" inside quotes leaves it quoted), a
// line end outside quotes ends a record unless the line held only spaces.
// Exact on well-formed CSV; a malformed file fails in the tokenizer.
struct RecordScanner {
  bool in_quotes = false;
  bool content = false;  // the current record has a byte other than spaces
  int64_t records = 0;
  int64_t line_feeds = 0;

  // Scans [p, end) and returns the byte after the first '\n' outside quotes,
  // or end.
  const char* ScanToLineStart(const char* p, const char* end) {
    while (p < end) {
      const char c = *p++;
      if (in_quotes) {
        if (c == '"') {
          in_quotes = false;
        } else if (c == '\n') {
          ++line_feeds;
        }
        continue;
      }
      switch (c) {
        case '\n':
          ++line_feeds;
          records += content;
          content = false;
          return p;
        case '\r':
          records += content;
          content = false;
          break;
        case ' ':
        case '\t':
          break;
        case '"':
          in_quotes = true;
          content = true;
          break;
        default:
          content = true;
      }
    }
    return p;
  }
};

// ⌊bytes · k / parts⌋ without overflow, for 0 ≤ k ≤ parts.
int64_t CutOffset(int64_t bytes, int64_t k, int64_t parts) {
  return bytes / parts * k + bytes % parts * k / parts;
}

// The resolved cut of part `k` of `parts` (see ReadCsvFilePart): scans from
// the scanner's position `*at` on, updating both, and returns the cut.
int64_t ResolveCut(int fd, const std::string& path, const HeaderEnd& header,
                   int64_t file_bytes, int k, int parts, RecordScanner* scanner,
                   int64_t* at, char* buffer, int64_t buffer_bytes,
                   bool* read_failed, std::string* error) {
  if (k == 0) return header.offset;
  if (k == parts) return file_bytes;
  const int64_t data_bytes = file_bytes - header.offset;
  const int64_t raw = header.offset + CutOffset(data_bytes, k, parts);
  if (raw <= *at) return *at;  // the previous cut already passed it
  // Every byte before raw − 1, then on to a line start outside quotes.
  int64_t cut = -1;
  const bool ok = ReadRange(
      fd, path, *at, file_bytes, buffer, buffer_bytes,
      [&](std::string_view piece) {
        const char* p = piece.data();
        const char* end = p + piece.size();
        const int64_t piece_start = *at;
        const int64_t free_bytes = std::max<int64_t>(0, raw - 1 - piece_start);
        const char* free_end = free_bytes < end - p ? p + free_bytes : end;
        while (p < free_end) p = scanner->ScanToLineStart(p, free_end);
        while (p < end) {
          const char* next = scanner->ScanToLineStart(p, end);
          const bool at_line_start = next[-1] == '\n' && !scanner->in_quotes;
          p = next;
          if (at_line_start) {
            cut = piece_start + (p - piece.data());
            *at = cut;
            return false;
          }
        }
        *at = piece_start + static_cast<int64_t>(piece.size());
        return true;
      },
      read_failed, error);
  if (!ok && *read_failed) return -1;
  if (cut < 0) {
    // The cut is the end of the file: a last record without a line
    // terminator is before it.
    scanner->records += scanner->content;
    scanner->content = false;
    *at = file_bytes;
    return file_bytes;
  }
  return cut;
}

// Tokenizes bytes [begin, end) of a file, which start a record on `line`,
// into a table of data rows. `finish` ends the stream at `end` (the last
// range, or a part): a last record without a line terminator is kept.
bool ParseRange(int fd, const std::string& path, const CsvReadOptions& options,
                int num_columns, int64_t begin, int64_t end, int64_t line,
                bool finish, CsvTable* table, CsvTokenizer** tokenizer_out,
                std::unique_ptr<CsvTokenizer>* tokenizer_holder,
                bool* read_failed, std::string* error) {
  auto builder = std::make_unique<CsvTableBuilder>(table, num_columns);
  auto tokenizer =
      std::make_unique<CsvTokenizer>(options.limits, builder.get());
  tokenizer->StartAt(begin, line);
  std::unique_ptr<char[]> buffer(new char[options.read_block_bytes]);
  bool ok = ReadRange(
      fd, path, begin, end, buffer.get(), options.read_block_bytes,
      [&](std::string_view piece) { return tokenizer->Feed(piece, error); },
      read_failed, error);
  if (ok && finish) ok = tokenizer->Finish(error);
  *tokenizer_out = tokenizer.get();
  *tokenizer_holder = std::move(tokenizer);
  return ok;
}

}  // namespace

// Joins tables of consecutive ranges of a file into one.
struct CsvTableJoin {
  // Appends `part` (data rows only, its lines counted from 1 when
  // `line_offset` is added) to `table`, moving its blocks.
  static void Append(CsvTable* part, int64_t line_offset, CsvTable* table) {
    const int64_t row_offset = table->num_rows_;
    const uint64_t text_offset = table->cell_text_.size();
    const int64_t width = table->NumColumns();
    for (size_t j = 0; j < part->numeric_columns_.size(); ++j) {
      table->numeric_columns_[j] |= part->numeric_columns_[j];
    }
    for (CsvTable::Block& block : part->blocks_) {
      if (text_offset > 0 && !part->cell_text_.empty()) {
        // The boxes of text cells hold offsets into the part's text.
        double* values = block.values.get();
        for (int64_t k = 0; k < block.num_rows * width; ++k) {
          if (IsBoxed(values[k]) &&
              BoxKind(values[k]) != CsvCellKind::kMissing) {
            values[k] =
                Box(BoxKind(values[k]), BoxTextOffset(values[k]) + text_offset);
          }
        }
      }
      block.first_row += row_offset;
      table->blocks_.push_back(std::move(block));
    }
    table->cell_text_ += part->cell_text_;
    for (const CsvTable::LineBreak& line_break : part->line_breaks_) {
      const int64_t row = line_break.row + row_offset;
      const int64_t line = line_break.line + line_offset;
      if (!table->line_breaks_.empty()) {
        const CsvTable::LineBreak& last = table->line_breaks_.back();
        if (last.line + (row - last.row) == line) continue;
      }
      table->line_breaks_.push_back({row, line});
    }
    table->num_rows_ += part->num_rows_;
    *part = CsvTable();
  }
  static int64_t NumRows(const CsvTable& table) { return table.num_rows_; }
};

namespace {

// The data rows of a regular file in parallel ranges (CsvReadOptions::
// range_bytes). False with *fall_back when the ranges cannot give the
// stream's table or error exactly (a range that fails, or that ends inside
// quotes): the caller then reads the file as a stream, which gives the
// error with its line.
bool ReadRangesInParallel(int fd, const std::string& path,
                          const CsvReadOptions& options, int64_t file_bytes,
                          const HeaderEnd& header, CsvTable* table,
                          bool* fall_back, bool* read_failed,
                          std::string* error) {
  const int64_t data_bytes = file_bytes - header.offset;
  const int64_t num_ranges =
      std::max<int64_t>(1, data_bytes / options.range_bytes);
  std::vector<int64_t> cuts(num_ranges + 1);
  cuts[0] = header.offset;
  cuts[num_ranges] = file_bytes;
  for (int64_t k = 1; k < num_ranges; ++k) {
    const int64_t raw = header.offset + CutOffset(data_bytes, k, num_ranges);
    cuts[k] =
        std::max(cuts[k - 1], NextLineStart(fd, path, std::max<int64_t>(raw, 1),
                                            file_bytes, read_failed, error));
    if (*read_failed) return false;
  }
  struct Range {
    CsvTable table;
    int64_t line_feeds = 0;
    bool ok = true;
    bool read_failed = false;
    std::string error;
  };
  std::vector<Range> ranges(num_ranges);
  const int num_columns = table->NumColumns();
  const int threads =
      options.threads > 0 ? options.threads : omp_get_max_threads();
  int64_t bytes_done = header.offset;
  int64_t rows_done = 0;
#pragma omp parallel for num_threads(threads) schedule(dynamic, 1)
  for (int64_t k = 0; k < num_ranges; ++k) {
    Range& range = ranges[k];
    CsvTokenizer* tokenizer = nullptr;
    std::unique_ptr<CsvTokenizer> holder;
    const bool last = k + 1 == num_ranges;
    range.ok = ParseRange(fd, path, options, num_columns, cuts[k], cuts[k + 1],
                          1, last, &range.table, &tokenizer, &holder,
                          &range.read_failed, &range.error);
    if (range.ok && !last && !tokenizer->AtRecordStart()) range.ok = false;
    range.line_feeds = tokenizer->line() - 1;
    if (options.progress) {
#pragma omp critical(fisheropt_csv_progress)
      {
        bytes_done += cuts[k + 1] - cuts[k];
        rows_done += CsvTableJoin::NumRows(range.table);
        options.progress(bytes_done, rows_done, file_bytes);
      }
    }
  }
  int64_t rows = 0;
  for (const Range& range : ranges) {
    if (range.read_failed) {
      *read_failed = true;
      *error = range.error;
      return false;
    }
    if (!range.ok) {
      *fall_back = true;
      return false;
    }
    rows += CsvTableJoin::NumRows(range.table);
  }
  if (rows > INT_MAX) {
    *fall_back = true;
    return false;
  }
  int64_t line = header.line;
  for (Range& range : ranges) {
    const int64_t line_feeds = range.line_feeds;
    CsvTableJoin::Append(&range.table, line - 1, table);
    line += line_feeds;
  }
  return true;
}

// Opens a file for reading; on failure *error has the path and the reason.
int OpenForReading(const std::string& path, struct stat* status,
                   std::string* error) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    *error = "cannot open " + QuotedPath(path) + ": " + std::strerror(errno);
    return -1;
  }
  // read() on a directory fails with EISDIR on Linux, not everywhere.
  if (fstat(fd, status) != 0) {
    *error = "cannot read " + QuotedPath(path) + ": " + std::strerror(errno);
    close(fd);
    return -1;
  }
  if (S_ISDIR(status->st_mode)) {
    *error = "cannot read " + QuotedPath(path) + ": " + std::strerror(EISDIR);
    close(fd);
    return -1;
  }
  return fd;
}

// The whole file as one stream through read(): pipes, small files, and the
// error path of the parallel read.
bool ReadStream(int fd, const std::string& path, const CsvReadOptions& options,
                int64_t total_bytes, CsvTable* table, std::string* error) {
  const auto parse_error = [&] {
    *error = PrintableText(path, path.size()) + ": " + *error;
    *table = CsvTable();
    return false;
  };
  CsvTableBuilder builder(table);
  CsvTokenizer tokenizer(options.limits, &builder);
  std::unique_ptr<char[]> buffer(new char[options.read_block_bytes]);
  int64_t bytes = 0;
  int64_t next_progress = 0;
  constexpr int64_t kProgressBytes = int64_t{16} << 20;
  while (true) {
    const ssize_t got = read(fd, buffer.get(), options.read_block_bytes);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      *error = "cannot read " + QuotedPath(path) + ": " + std::strerror(errno);
      *table = CsvTable();
      return false;
    }
    if (got == 0) break;
    if (!tokenizer.Feed(std::string_view(buffer.get(), got), error)) {
      return parse_error();
    }
    bytes += got;
    if (options.progress && bytes >= next_progress) {
      options.progress(bytes, table->NumRows(), total_bytes);
      next_progress = bytes + kProgressBytes;
    }
  }
  if (!tokenizer.Finish(error) || !builder.Finish(error)) return parse_error();
  return true;
}

}  // namespace

void CsvTable::Unmap::operator()(double* values) const {
  if (values != nullptr) munmap(values, bytes);
}

bool ReadCsvFile(const std::string& path, const CsvReadOptions& options,
                 CsvTable* table, std::string* error) {
  *table = CsvTable();
  if (!options.IsValid(error)) return false;
  struct stat status;
  const FileDescriptor file(OpenForReading(path, &status, error));
  if (file.get() < 0) return false;
  const int64_t file_bytes = S_ISREG(status.st_mode) ? status.st_size : -1;
  if (file_bytes >= 2 * options.range_bytes) {
    HeaderEnd header;
    bool read_failed = false;
    bool fall_back = false;
    if (!ReadHeader(file.get(), path, file_bytes, options, table, &header,
                    &read_failed, error)) {
      if (!read_failed)
        *error = PrintableText(path, path.size()) + ": " + *error;
      *table = CsvTable();
      return false;
    }
    if (file_bytes - header.offset >= 2 * options.range_bytes) {
      if (ReadRangesInParallel(file.get(), path, options, file_bytes, header,
                               table, &fall_back, &read_failed, error)) {
        if (table->NumRows() > 0) return true;
        *error = PrintableText(path, path.size()) +
                 ": the file has a header but no data rows";
        *table = CsvTable();
        return false;
      }
      *table = CsvTable();
      if (read_failed) return false;
    }
    *table = CsvTable();
    if (lseek(file.get(), 0, SEEK_SET) != 0) {
      *error = "cannot read " + QuotedPath(path) + ": " + std::strerror(errno);
      return false;
    }
  }
  return ReadStream(file.get(), path, options, file_bytes, table, error);
}

bool ReadCsvFilePart(const std::string& path, const CsvReadOptions& options,
                     CsvPart part, CsvTable* table, int64_t* first_row,
                     std::string* error) {
  *table = CsvTable();
  *first_row = 0;
  if (!options.IsValid(error)) return false;
  if (part.parts < 1 || part.part < 0 || part.part >= part.parts) {
    *error = "CsvPart {" + std::to_string(part.part) + ", " +
             std::to_string(part.parts) + "} must have 0 <= part < parts";
    return false;
  }
  struct stat status;
  const FileDescriptor file(OpenForReading(path, &status, error));
  if (file.get() < 0) return false;
  if (!S_ISREG(status.st_mode)) {
    *error = "cannot read a part of " + QuotedPath(path) +
             ": not a regular file (a pipe or device is read whole)";
    return false;
  }
  const int64_t file_bytes = status.st_size;
  const auto parse_error = [&] {
    *error = PrintableText(path, path.size()) + ": " + *error;
    *table = CsvTable();
    return false;
  };
  HeaderEnd header;
  bool read_failed = false;
  if (!ReadHeader(file.get(), path, file_bytes, options, table, &header,
                  &read_failed, error)) {
    if (read_failed) {
      *table = CsvTable();
      return false;
    }
    return parse_error();
  }
  RecordScanner scanner;
  int64_t scanned = header.offset;
  std::unique_ptr<char[]> buffer(new char[options.read_block_bytes]);
  const int64_t begin = ResolveCut(
      file.get(), path, header, file_bytes, part.part, part.parts, &scanner,
      &scanned, buffer.get(), options.read_block_bytes, &read_failed, error);
  if (read_failed) {
    *table = CsvTable();
    return false;
  }
  const int64_t records_before = scanner.records;
  const int64_t line = header.line + scanner.line_feeds;
  const int64_t end = ResolveCut(
      file.get(), path, header, file_bytes, part.part + 1, part.parts, &scanner,
      &scanned, buffer.get(), options.read_block_bytes, &read_failed, error);
  if (read_failed) {
    *table = CsvTable();
    return false;
  }
  buffer.reset();
  CsvTable rows;
  CsvTokenizer* tokenizer = nullptr;
  std::unique_ptr<CsvTokenizer> holder;
  if (!ParseRange(file.get(), path, options, table->NumColumns(), begin, end,
                  line, /*finish=*/true, &rows, &tokenizer, &holder,
                  &read_failed, error)) {
    if (read_failed) {
      *table = CsvTable();
      return false;
    }
    return parse_error();
  }
  CsvTableJoin::Append(&rows, 0, table);
  *first_row = records_before;
  return true;
}

bool ReadCsvFile(const std::string& path, CsvTable* table, std::string* error) {
  return ReadCsvFile(path, CsvReadOptions(), table, error);
}

bool BuildDataset(const CsvTable& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error) {
  return BuildDatasetFrom(table, nullptr, spec, data, rows_dropped, error);
}

bool BuildDataset(CsvTable&& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error) {
  return BuildDatasetFrom(table, &table, spec, data, rows_dropped, error);
}

bool BuildSampleMatrix(const CsvTable& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error) {
  return BuildSampleMatrixFrom(table, nullptr, variables, drop_incomplete_rows,
                               samples, names, rows_dropped, error);
}

bool BuildSampleMatrix(CsvTable&& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error) {
  return BuildSampleMatrixFrom(table, &table, variables, drop_incomplete_rows,
                               samples, names, rows_dropped, error);
}

}  // namespace fisheropt
