#include "problems/csv_reader.h"

#include <csv.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

namespace fisheropt {
namespace {

// Receives libcsv's callbacks: fields accumulate into the current record,
// which ends on the physical line being fed.
struct ParseState {
  std::vector<std::vector<std::string>> records;
  std::vector<int> record_lines;
  std::vector<std::string> current;
  int line = 0;
};

void OnField(void* data, size_t length, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  state->current.emplace_back(data == nullptr ? "" : static_cast<char*>(data),
                              length);
}

void OnRecordEnd(int /*terminator*/, void* state_pointer) {
  auto* state = static_cast<ParseState*>(state_pointer);
  state->records.push_back(std::move(state->current));
  state->record_lines.push_back(state->line);
  state->current.clear();
}

std::string Trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  const size_t last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

enum class CellStatus { kNumber, kMissing, kNotNumeric, kNotFinite };

CellStatus ParseNumber(const std::string& cell, double* value) {
  const std::string trimmed = Trim(cell);
  if (trimmed.empty() || trimmed == "NA") return CellStatus::kMissing;
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(trimmed.c_str(), &end);
  if (end != trimmed.c_str() + trimmed.size()) return CellStatus::kNotNumeric;
  if (!std::isfinite(*value)) return CellStatus::kNotFinite;
  return CellStatus::kNumber;
}

std::string AvailableColumns(const CsvTable& table) {
  std::string list;
  for (const std::string& name : table.column_names) {
    list += (list.empty() ? "" : ", ") + name;
  }
  return list;
}

// Parses the chosen columns of every row into a matrix; rows with a missing
// cell are dropped or reported.
bool ExtractColumns(const CsvTable& table, const std::vector<int>& columns,
                    bool drop_incomplete_rows, RowMatrixXd* values,
                    int* rows_dropped, std::string* error) {
  values->resize(table.NumRows(), static_cast<Eigen::Index>(columns.size()));
  int kept = 0;
  *rows_dropped = 0;
  for (int i = 0; i < table.NumRows(); ++i) {
    bool complete = true;
    for (size_t k = 0; k < columns.size(); ++k) {
      const int column = columns[k];
      double value = 0.0;
      const std::string& cell = table.rows[i][column];
      std::ostringstream where;
      where << "line " << table.line_numbers[i] << ", column '"
            << table.column_names[column] << "'";
      switch (ParseNumber(cell, &value)) {
        case CellStatus::kNumber:
          (*values)(kept, static_cast<Eigen::Index>(k)) = value;
          break;
        case CellStatus::kMissing:
          if (!drop_incomplete_rows) {
            *error = "missing value (empty or NA) at " + where.str() +
                     "; drop incomplete rows to fit without it";
            return false;
          }
          complete = false;
          break;
        case CellStatus::kNotNumeric:
          *error = "non-numeric value '" + Trim(cell) + "' at " + where.str();
          return false;
        case CellStatus::kNotFinite:
          *error = "non-finite value '" + Trim(cell) + "' at " + where.str();
          return false;
      }
      if (!complete) break;
    }
    if (complete) {
      ++kept;
    } else {
      ++*rows_dropped;
    }
  }
  values->conservativeResize(kept, values->cols());
  if (kept == 0) {
    *error = "no complete rows remain after dropping " +
             std::to_string(*rows_dropped) + " incomplete rows";
    return false;
  }
  return true;
}

bool ResolveColumn(const CsvTable& table, const std::string& name, int* column,
                   std::string* error) {
  *column = table.ColumnIndex(name);
  if (*column >= 0) return true;
  *error = "unknown column '" + name +
           "'; available columns: " + AvailableColumns(table);
  return false;
}

}  // namespace

int CsvTable::ColumnIndex(const std::string& name) const {
  const auto it = std::find(column_names.begin(), column_names.end(), name);
  return it == column_names.end() ? -1
                                  : static_cast<int>(it - column_names.begin());
}

bool CsvTable::IsNumericColumn(int column) const {
  for (const std::vector<std::string>& row : rows) {
    double value = 0.0;
    const CellStatus status = ParseNumber(row[column], &value);
    if (status == CellStatus::kNumber || status == CellStatus::kNotFinite) {
      return true;
    }
  }
  return false;
}

bool ParseCsv(const std::string& text, CsvTable* table, std::string* error) {
  *table = CsvTable();
  csv_parser parser;
  if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
    *error = "could not initialize the CSV parser";
    return false;
  }
  ParseState state;
  // Fed one physical line at a time, so that every record knows its line.
  // A UTF-8 byte-order mark (spreadsheet exports) is not part of the first
  // column's name.
  size_t begin = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  bool ok = true;
  while (ok && begin < text.size()) {
    size_t end = text.find('\n', begin);
    end = end == std::string::npos ? text.size() : end + 1;
    ++state.line;
    const size_t length = end - begin;
    if (csv_parse(&parser, text.data() + begin, length, OnField, OnRecordEnd,
                  &state) != length) {
      ok = false;
    }
    begin = end;
  }
  if (ok && csv_fini(&parser, OnField, OnRecordEnd, &state) != 0) ok = false;
  if (!ok) {
    *error = "malformed CSV at line " + std::to_string(state.line) + ": " +
             csv_strerror(csv_error(&parser));
    csv_free(&parser);
    return false;
  }
  csv_free(&parser);

  if (state.records.empty()) {
    *error = "the file is empty: expected a header row";
    return false;
  }
  table->column_names.reserve(state.records[0].size());
  std::map<std::string, int> seen;
  for (size_t j = 0; j < state.records[0].size(); ++j) {
    const std::string name = Trim(state.records[0][j]);
    if (name.empty()) {
      *error = "column " + std::to_string(j + 1) + " of the header (line " +
               std::to_string(state.record_lines[0]) + ") has an empty name";
      return false;
    }
    const auto [it, inserted] = seen.emplace(name, static_cast<int>(j));
    if (!inserted) {
      *error = "duplicated column name '" + name + "' (columns " +
               std::to_string(it->second + 1) + " and " +
               std::to_string(j + 1) + ")";
      return false;
    }
    table->column_names.push_back(name);
  }
  for (size_t r = 1; r < state.records.size(); ++r) {
    if (state.records[r].size() != table->column_names.size()) {
      *error = "line " + std::to_string(state.record_lines[r]) + " has " +
               std::to_string(state.records[r].size()) +
               " fields; the header has " +
               std::to_string(table->column_names.size());
      return false;
    }
    table->rows.push_back(std::move(state.records[r]));
    table->line_numbers.push_back(state.record_lines[r]);
  }
  if (table->rows.empty()) {
    *error = "the file has a header but no data rows";
    return false;
  }
  return true;
}

bool ReadCsvFile(const std::string& path, CsvTable* table, std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    *error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  if (file.bad()) {
    *error = "cannot read '" + path + "': " + std::strerror(errno);
    return false;
  }
  if (!ParseCsv(contents.str(), table, error)) {
    *error = path + ": " + *error;
    return false;
  }
  return true;
}

bool BuildDataset(const CsvTable& table, const DatasetSpec& spec, Dataset* data,
                  int* rows_dropped, std::string* error) {
  int response = -1;
  if (!ResolveColumn(table, spec.response, &response, error)) return false;
  std::vector<int> columns = {response};
  if (spec.predictors.empty()) {
    for (int j = 0; j < static_cast<int>(table.column_names.size()); ++j) {
      if (j != response && table.IsNumericColumn(j)) columns.push_back(j);
    }
  } else {
    for (const std::string& name : spec.predictors) {
      int column = -1;
      if (!ResolveColumn(table, name, &column, error)) return false;
      if (column == response) {
        *error = "column '" + name + "' is both the response and a predictor";
        return false;
      }
      if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
        *error = "predictor '" + name + "' is listed twice";
        return false;
      }
      columns.push_back(column);
    }
  }
  RowMatrixXd values;
  if (!ExtractColumns(table, columns, spec.drop_incomplete_rows, &values,
                      rows_dropped, error)) {
    return false;
  }
  const int offset = spec.intercept ? 1 : 0;
  const Eigen::Index n = values.rows();
  const Eigen::Index p = static_cast<Eigen::Index>(columns.size()) - 1 + offset;
  if (p == 0) {
    *error = "no predictors: give predictor columns or keep the intercept";
    return false;
  }
  *data = Dataset();
  data->response_name = spec.response;
  data->y = values.col(0);
  data->x.resize(n, p);
  if (spec.intercept) {
    data->x.col(0).setOnes();
    data->column_names.push_back("(Intercept)");
  }
  data->x.rightCols(p - offset) = values.rightCols(p - offset);
  for (size_t k = 1; k < columns.size(); ++k) {
    data->column_names.push_back(table.column_names[columns[k]]);
  }
  return true;
}

bool BuildSampleMatrix(const CsvTable& table,
                       const std::vector<std::string>& variables,
                       bool drop_incomplete_rows, RowMatrixXd* samples,
                       std::vector<std::string>* names, int* rows_dropped,
                       std::string* error) {
  std::vector<int> columns;
  if (variables.empty()) {
    for (int j = 0; j < static_cast<int>(table.column_names.size()); ++j) {
      if (table.IsNumericColumn(j)) columns.push_back(j);
    }
    if (columns.empty()) {
      *error =
          "no numeric columns; available columns: " + AvailableColumns(table);
      return false;
    }
  } else {
    for (const std::string& name : variables) {
      int column = -1;
      if (!ResolveColumn(table, name, &column, error)) return false;
      if (std::find(columns.begin(), columns.end(), column) != columns.end()) {
        *error = "variable '" + name + "' is listed twice";
        return false;
      }
      columns.push_back(column);
    }
  }
  names->clear();
  for (int column : columns) names->push_back(table.column_names[column]);
  return ExtractColumns(table, columns, drop_incomplete_rows, samples,
                        rows_dropped, error);
}

}  // namespace fisheropt
