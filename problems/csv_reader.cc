#include "problems/csv_reader.h"

#include <fcntl.h>
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

// Blocks grow from 64 KiB to 64 MiB of values: small files stay small, and
// blocks from 32 MiB on are always served by mmap in glibc (its dynamic mmap
// threshold stops at 32 MiB), so releasing one returns its memory to the
// system at once. Untouched pages of the last block are never resident.
constexpr int64_t kFirstBlockBytes = int64_t{64} << 10;
constexpr int64_t kMaxBlockBytes = int64_t{64} << 20;

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

  bool OnField(std::string_view text, std::string* error) override;
  bool OnRecordEnd(int64_t line, std::string* error) override;
  // After the tokenizer's Finish: a header and at least one row.
  bool Finish(std::string* error) const;

 private:
  bool EndHeader(int64_t line, std::string* error);
  // The slot of the next row, in a new block when the last one is full.
  double* NextRowSlot();
  double ParseCell(std::string_view field, int column);

  CsvTable* table_;
  bool in_header_ = true;
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
    if (num_fields_ == 0) row_ = NextRowSlot();
    if (num_fields_ < table_->NumColumns()) {
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
  const int64_t columns = table_->NumColumns();
  if (blocks.empty() ||
      row == blocks.back().first_row + blocks.back().capacity_rows) {
    CsvTable::Block block;
    block.first_row = row;
    block.capacity_rows = std::max<int64_t>(
        1, next_block_bytes_ / static_cast<int64_t>(sizeof(double) * columns));
    // Not value-initialized: pages are touched only as rows arrive.
    block.values.reset(new double[block.capacity_rows * columns]);
    AdviseHugePages(block.values.get(),
                    sizeof(double) * block.capacity_rows * columns);
    blocks.push_back(std::move(block));
    next_block_bytes_ = std::min(2 * next_block_bytes_, kMaxBlockBytes);
  }
  const CsvTable::Block& block = blocks.back();
  return block.values.get() + (row - block.first_row) * columns;
}

bool CsvTableBuilder::OnRecordEnd(int64_t line, std::string* error) {
  const int64_t num_fields = num_fields_;
  num_fields_ = 0;
  if (in_header_) return EndHeader(line, error);
  if (num_fields != table_->NumColumns()) {
    *error = "line " + std::to_string(line) + " has " +
             std::to_string(num_fields) + " fields; the header has " +
             std::to_string(table_->NumColumns());
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
      const int64_t rows = std::min<int64_t>(block.capacity_rows,
                                             table.num_rows_ - block.first_row);
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
      const int64_t rows = std::min<int64_t>(block.capacity_rows,
                                             table.num_rows_ - block.first_row);
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
  if (read_block_bytes >= 1 && read_block_bytes <= kMaxReadBlockBytes) {
    return true;
  }
  *error =
      "CsvReadOptions::read_block_bytes = " + std::to_string(read_block_bytes) +
      " must be in [1, " + std::to_string(kMaxReadBlockBytes) + "]";
  return false;
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

bool ReadCsvFile(const std::string& path, const CsvReadOptions& options,
                 CsvTable* table, std::string* error) {
  *table = CsvTable();
  if (!options.IsValid(error)) return false;
  const FileDescriptor file(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) {
    *error = "cannot open '" + PrintableText(path, path.size()) +
             "': " + std::strerror(errno);
    return false;
  }
  const auto read_error = [&](int number) {
    *error = "cannot read '" + PrintableText(path, path.size()) +
             "': " + std::strerror(number);
    *table = CsvTable();
    return false;
  };
  // read() on a directory fails with EISDIR on Linux, not everywhere.
  struct stat status;
  if (fstat(file.get(), &status) == 0 && S_ISDIR(status.st_mode)) {
    return read_error(EISDIR);
  }
  const auto parse_error = [&] {
    *error = PrintableText(path, path.size()) + ": " + *error;
    *table = CsvTable();
    return false;
  };
  CsvTableBuilder builder(table);
  CsvTokenizer tokenizer(options.limits, &builder);
  std::unique_ptr<char[]> buffer(new char[options.read_block_bytes]);
  while (true) {
    const ssize_t got =
        read(file.get(), buffer.get(), options.read_block_bytes);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return read_error(errno);
    if (got == 0) break;
    if (!tokenizer.Feed(std::string_view(buffer.get(), got), error)) {
      return parse_error();
    }
  }
  if (!tokenizer.Finish(error) || !builder.Finish(error)) return parse_error();
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
