#include "problems/csv_reader.h"

#include <csv.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fisheropt {
namespace {

// libcsv's parser state when no record is in progress (libcsv.c:
// ROW_NOT_BEGUN); used to tell on which line a record starts.
constexpr int kRowNotBegun = 0;

std::string Trim(const std::string& text) {
  const char* kSpace = " \t\r\n";
  const size_t first = text.find_first_not_of(kSpace);
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(kSpace);
  return text.substr(first, last - first + 1);
}

// Collects records from libcsv's callbacks and turns them into a table.
struct ParseState {
  const CsvReadOptions* options = nullptr;
  int line = 0;               // Line being fed to the parser.
  int record_start_line = 0;  // Line on which the current record started.
  std::vector<std::string> fields;
  bool have_header = false;
  std::vector<std::string> column_names;
  std::vector<double> values;  // Row-major.
  std::vector<int> line_numbers;
  int num_dropped = 0;
  std::string error;

  void Fail(const std::string& message) {
    if (error.empty()) error = message;
  }

  void EndHeader() {
    for (size_t j = 0; j < fields.size(); ++j) {
      const std::string name = Trim(fields[j]);
      if (name.empty()) {
        std::ostringstream message;
        message << "line " << record_start_line << ": column " << j + 1
                << " of the header has an empty name";
        return Fail(message.str());
      }
      for (size_t k = 0; k < column_names.size(); ++k) {
        if (column_names[k] == name) {
          std::ostringstream message;
          message << "line " << record_start_line << ": duplicate column name '"
                  << name << "' (columns " << k + 1 << " and " << j + 1 << ")";
          return Fail(message.str());
        }
      }
      column_names.push_back(name);
    }
    have_header = true;
  }

  void EndRow() {
    std::ostringstream message;
    message << "line " << record_start_line;
    const std::string where = message.str();
    if (fields.size() != column_names.size()) {
      return Fail(where + ": found " + std::to_string(fields.size()) +
                  " fields, but the header has " +
                  std::to_string(column_names.size()) + " columns");
    }
    std::vector<double> row(fields.size());
    bool incomplete = false;
    for (size_t j = 0; j < fields.size(); ++j) {
      const std::string text = Trim(fields[j]);
      const std::string cell = where + ", column '" + column_names[j] + "'";
      if (text.empty() || text == "NA") {
        if (!options->drop_incomplete_rows) {
          return Fail(cell + ": missing value" +
                      (text.empty() ? std::string(" (empty cell)")
                                    : std::string(" 'NA'")) +
                      "; set drop_incomplete_rows to drop incomplete rows");
        }
        incomplete = true;
        continue;
      }
      char* end = nullptr;
      errno = 0;
      const double value = std::strtod(text.c_str(), &end);
      if (end != text.c_str() + text.size()) {
        return Fail(cell + ": cannot parse '" + text + "' as a number");
      }
      if (!std::isfinite(value)) {
        return Fail(cell + ": '" + text + "' is not a finite number");
      }
      row[j] = value;
    }
    if (incomplete) {
      ++num_dropped;
      return;
    }
    values.insert(values.end(), row.begin(), row.end());
    line_numbers.push_back(record_start_line);
  }
};

void OnField(void* field, size_t length, void* data) {
  auto* state = static_cast<ParseState*>(data);
  state->fields.emplace_back(static_cast<const char*>(field), length);
}

void OnRecordEnd(int /*terminator*/, void* data) {
  auto* state = static_cast<ParseState*>(data);
  if (state->error.empty()) {
    if (state->have_header) {
      state->EndRow();
    } else {
      state->EndHeader();
    }
  }
  state->fields.clear();
}

// Frees the libcsv parser on every path.
class CsvParser {
 public:
  explicit CsvParser(unsigned char options) {
    ok_ = csv_init(&parser_, options) == 0;
  }
  ~CsvParser() {
    if (ok_) csv_free(&parser_);
  }
  CsvParser(const CsvParser&) = delete;
  CsvParser& operator=(const CsvParser&) = delete;
  bool ok() const { return ok_; }
  csv_parser* get() { return &parser_; }

 private:
  csv_parser parser_;
  bool ok_ = false;
};

}  // namespace

bool CsvReadOptions::IsValid(std::string* error) const {
  if (delimiter == '"' || delimiter == '\r' || delimiter == '\n') {
    if (error != nullptr) {
      *error = "CsvReadOptions::delimiter must not be a quote, CR or LF";
    }
    return false;
  }
  return true;
}

int CsvTable::ColumnIndex(const std::string& name) const {
  for (size_t j = 0; j < column_names.size(); ++j) {
    if (column_names[j] == name) return static_cast<int>(j);
  }
  return -1;
}

bool ParseCsv(const std::string& text, const CsvReadOptions& options,
              CsvTable* table, std::string* error) {
  std::string message;
  if (!options.IsValid(&message)) {
    if (error != nullptr) *error = message;
    return false;
  }
  if (Trim(text).empty()) {
    if (error != nullptr)
      *error = "CSV input is empty: a header row is required";
    return false;
  }
  // Strict: a quote inside an unquoted field or text after a closing quote
  // is an error; STRICT_FINI: an unterminated quote at the end is an error.
  CsvParser parser(CSV_STRICT | CSV_STRICT_FINI);
  if (!parser.ok()) {
    if (error != nullptr) *error = "cannot initialize the CSV parser";
    return false;
  }
  csv_set_delim(parser.get(), static_cast<unsigned char>(options.delimiter));
  ParseState state;
  state.options = &options;
  // Feed one physical line at a time so that every callback knows its line.
  // A UTF-8 byte order mark (spreadsheet exports) is not part of the header.
  size_t begin = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
  while (begin < text.size() && state.error.empty()) {
    size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    ++state.line;
    if (parser.get()->pstate == kRowNotBegun) {
      state.record_start_line = state.line;
    }
    const size_t length = end - begin;
    if (csv_parse(parser.get(), text.data() + begin, length, OnField,
                  OnRecordEnd, &state) != length) {
      state.Fail("line " + std::to_string(state.line) +
                 ": malformed quoted field (a quote must open the field and "
                 "be doubled inside it)");
    }
    begin = end;
  }
  if (state.error.empty() &&
      csv_fini(parser.get(), OnField, OnRecordEnd, &state) != 0) {
    state.Fail("line " + std::to_string(state.record_start_line) +
               ": unterminated quoted field");
  }
  if (state.error.empty() && !state.have_header) {
    state.Fail("CSV input is empty: a header row is required");
  }
  if (state.error.empty() && state.line_numbers.empty()) {
    if (state.num_dropped > 0) {
      state.Fail("all " + std::to_string(state.num_dropped) +
                 " data rows have missing values and were dropped");
    } else {
      state.Fail("CSV input has a header but no data rows");
    }
  }
  if (!state.error.empty()) {
    if (error != nullptr) *error = state.error;
    return false;
  }
  const Eigen::Index rows =
      static_cast<Eigen::Index>(state.line_numbers.size());
  const Eigen::Index cols =
      static_cast<Eigen::Index>(state.column_names.size());
  table->column_names = std::move(state.column_names);
  table->values =
      Eigen::Map<const RowMatrixXd>(state.values.data(), rows, cols);
  table->line_numbers = std::move(state.line_numbers);
  table->num_dropped_rows = state.num_dropped;
  return true;
}

bool ReadCsvFile(const std::string& path, const CsvReadOptions& options,
                 CsvTable* table, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (error != nullptr) {
      *error = "cannot open CSV file '" + path + "': " + std::strerror(errno);
    }
    return false;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  std::string message;
  if (!ParseCsv(contents.str(), options, table, &message)) {
    if (error != nullptr) *error = path + ": " + message;
    return false;
  }
  return true;
}

bool DatasetFromTable(const CsvTable& table, const DatasetColumns& columns,
                      Dataset* data, std::string* error) {
  std::string unknown;
  const auto find = [&](const std::string& name) {
    const int index = table.ColumnIndex(name);
    if (index < 0 && unknown.empty()) unknown = name;
    return index;
  };
  const int response = find(columns.response);
  std::vector<int> predictors;
  for (const std::string& name : columns.predictors) {
    predictors.push_back(find(name));
  }
  const int weights = columns.weights.empty() ? -2 : find(columns.weights);
  const int offset = columns.offset.empty() ? -2 : find(columns.offset);
  if (!unknown.empty()) {
    if (error != nullptr) {
      std::string available;
      for (const std::string& name : table.column_names) {
        available += (available.empty() ? "" : ", ") + name;
      }
      *error =
          "unknown column '" + unknown + "'; available columns: " + available;
    }
    return false;
  }
  const int n = table.NumRows();
  const int first = columns.intercept ? 1 : 0;
  Dataset result;
  result.response_name = columns.response;
  result.x.resize(n, first + static_cast<int>(predictors.size()));
  if (columns.intercept) {
    result.x.col(0).setOnes();
    result.column_names.push_back("(Intercept)");
  }
  for (size_t k = 0; k < predictors.size(); ++k) {
    result.x.col(first + k) = table.values.col(predictors[k]);
    result.column_names.push_back(columns.predictors[k]);
  }
  result.y = table.values.col(response);
  if (weights >= 0) result.weights = table.values.col(weights);
  if (offset >= 0) result.offset = table.values.col(offset);
  std::string message;
  if (!result.IsValid(&message)) {
    if (error != nullptr) *error = message;
    return false;
  }
  *data = std::move(result);
  return true;
}

}  // namespace fisheropt
