#include "problems/nist_dataset.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace fisheropt {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream stream(text);
  while (std::getline(stream, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Tokens(const std::string& text) {
  std::vector<std::string> tokens;
  std::istringstream stream(text);
  std::string token;
  while (stream >> token) tokens.push_back(token);
  return tokens;
}

// Case-insensitive: the files write both "Starting values" and "Starting
// Values".
bool StartsWith(const std::string& text, const std::string& prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

std::string Trim(const std::string& text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// A whole token as a finite double ("10.07E0", "-1.5", "5.5015643181E-04").
bool ParseNumber(const std::string& token, double* value) {
  if (token.empty()) return false;
  errno = 0;
  char* end = nullptr;
  *value = std::strtod(token.c_str(), &end);
  return end == token.c_str() + token.size() && errno != ERANGE &&
         std::isfinite(*value);
}

// Bounds of the counts a file states: NIST's largest model has 9
// parameters and its largest data set 250 observations; the bounds only keep
// a corrupt count from overflowing an int or reserving gigabytes.
constexpr int kMaxParameters = 1000;
constexpr int kMaxObservations = 100000000;

// A whole token as an integer in [min, max] ("14", "1.4E1").
bool ParseCount(const std::string& token, int min, int max, int* count) {
  double value = 0.0;
  if (!ParseNumber(token, &value) || value < min || value > max ||
      value != std::floor(value)) {
    return false;
  }
  *count = static_cast<int>(value);
  return true;
}

bool IsName(const std::string& token) {
  if (token.empty() || !std::isalpha(static_cast<unsigned char>(token[0]))) {
    return false;
  }
  for (char c : token) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

class Parser {
 public:
  Parser(const std::string& source, std::string* error)
      : source_(source), error_(error) {}

  bool Fail(int line_index, const std::string& what) {
    if (error_ != nullptr) {
      *error_ = source_ + ":" + std::to_string(line_index + 1) + ": " + what;
    }
    return false;
  }
  bool Missing(const std::string& label) {
    if (error_ != nullptr) {
      *error_ = source_ + ": no '" + label + "' line";
    }
    return false;
  }

  // The index of the first line at or after `from` that starts (after
  // leading blanks) with `label`, ignoring case, or -1.
  static int Find(const std::vector<std::string>& lines,
                  const std::string& label, int from = 0) {
    for (int i = from; i < static_cast<int>(lines.size()); ++i) {
      if (StartsWith(Trim(lines[i]), label)) return i;
    }
    return -1;
  }

  // "Label:  1.2455138894E-01" → the number after the label.
  bool LabeledNumber(const std::vector<std::string>& lines,
                     const std::string& label, double* value) {
    const int index = Find(lines, label);
    if (index < 0) return Missing(label);
    const std::string rest = Trim(lines[index]).substr(label.size());
    const std::vector<std::string> tokens = Tokens(rest);
    if (tokens.size() != 1 || !ParseNumber(tokens[0], value)) {
      return Fail(index, "expected one number after '" + label + "', found '" +
                             Trim(rest) + "'");
    }
    return true;
  }

  // "Label:  14" → the integer in [0, max] after the label.
  bool LabeledCount(const std::vector<std::string>& lines,
                    const std::string& label, int max, int* count) {
    double value = 0.0;
    if (!LabeledNumber(lines, label, &value)) return false;
    if (value < 0 || value > max || value != std::floor(value)) {
      return Fail(
          Find(lines, label),
          "expected an integer from 0 to " + std::to_string(max) + " after '" +
              label + "', found '" +
              Tokens(Trim(lines[Find(lines, label)]).substr(label.size()))[0] +
              "'");
    }
    *count = static_cast<int>(value);
    return true;
  }

 private:
  std::string source_;
  std::string* error_;
};

}  // namespace

bool ParseNistDataset(const std::string& text, const std::string& source,
                      NistDataset* dataset, std::string* error) {
  *dataset = NistDataset();
  Parser parser(source, error);
  const std::vector<std::string> lines = SplitLines(text);
  const int num_lines = static_cast<int>(lines.size());

  // Name.
  const int name_line = Parser::Find(lines, "Dataset Name:");
  if (name_line < 0) return parser.Missing("Dataset Name:");
  {
    const std::vector<std::string> tokens =
        Tokens(Trim(lines[name_line]).substr(std::strlen("Dataset Name:")));
    if (tokens.empty()) return parser.Fail(name_line, "empty dataset name");
    dataset->name = tokens[0];
  }

  // Model: the stated parameter count and the equation text.
  const int model_line = Parser::Find(lines, "Model:");
  if (model_line < 0) return parser.Missing("Model:");
  int count_line = -1;
  for (int i = model_line; i < num_lines && i <= model_line + 3; ++i) {
    const std::vector<std::string> tokens = Tokens(lines[i]);
    for (size_t t = 0; t + 1 < tokens.size(); ++t) {
      if (tokens[t + 1] == "Parameters" || tokens[t + 1] == "Parameter") {
        if (!ParseCount(tokens[t], 1, kMaxParameters,
                        &dataset->num_parameters)) {
          return parser.Fail(i, "bad parameter count '" + tokens[t] +
                                    "' (an integer from 1 to " +
                                    std::to_string(kMaxParameters) + ")");
        }
        count_line = i;
      }
    }
    if (count_line >= 0) break;
  }
  if (count_line < 0) {
    return parser.Fail(model_line,
                       "no 'N Parameters' statement after 'Model:'");
  }
  const int table_line = Parser::Find(lines, "Starting values", count_line);
  if (table_line < 0) return parser.Missing("Starting values");
  for (int i = count_line + 1; i < table_line; ++i) {
    const std::string trimmed = Trim(lines[i]);
    if (trimmed.empty()) continue;
    if (!dataset->model_text.empty()) dataset->model_text += " ";
    dataset->model_text += trimmed;
  }

  // Parameter table: "b1 = start1 start2 certified sd", b1..bp in order.
  const int p = dataset->num_parameters;
  dataset->starts.assign(2, Eigen::VectorXd(p));
  dataset->certified_values.resize(p);
  dataset->certified_standard_deviations.resize(p);
  int parameter = 0;
  int last_parameter_line = table_line;
  for (int i = table_line + 1; i < num_lines && parameter < p; ++i) {
    const std::vector<std::string> tokens = Tokens(lines[i]);
    if (tokens.empty() || tokens[0].empty() || tokens[0][0] != 'b') continue;
    const std::string expected = "b" + std::to_string(parameter + 1);
    if (tokens[0] != expected) {
      return parser.Fail(i, "expected parameter '" + expected + "', found '" +
                                tokens[0] + "'");
    }
    if (tokens.size() != 6 || tokens[1] != "=") {
      return parser.Fail(i, "expected '" + expected +
                                " = start1 start2 certified_value "
                                "standard_deviation' (4 numbers)");
    }
    double values[4];
    for (int k = 0; k < 4; ++k) {
      if (!ParseNumber(tokens[2 + k], &values[k])) {
        return parser.Fail(i, "'" + tokens[2 + k] + "' in the row of " +
                                  expected + " is not a finite number");
      }
    }
    dataset->starts[0][parameter] = values[0];
    dataset->starts[1][parameter] = values[1];
    dataset->certified_values[parameter] = values[2];
    dataset->certified_standard_deviations[parameter] = values[3];
    ++parameter;
    last_parameter_line = i;
  }
  if (parameter < p) {
    return parser.Fail(last_parameter_line,
                       "the model states " + std::to_string(p) +
                           " parameters but the table lists " +
                           std::to_string(parameter));
  }

  // Certified statistics.
  int observations = 0;
  if (!parser.LabeledNumber(lines, "Residual Sum of Squares:",
                            &dataset->certified_residual_sum_of_squares) ||
      !parser.LabeledNumber(lines, "Residual Standard Deviation:",
                            &dataset->certified_residual_standard_deviation) ||
      !parser.LabeledCount(lines, "Degrees of Freedom:", kMaxObservations,
                           &dataset->degrees_of_freedom) ||
      !parser.LabeledCount(lines, "Number of Observations:", kMaxObservations,
                           &observations)) {
    return false;
  }

  // Data header: a "Data:" line followed by column names only.
  int header_line = -1;
  std::vector<std::string> columns;
  for (int i = Parser::Find(lines, "Data:"); i >= 0;
       i = Parser::Find(lines, "Data:", i + 1)) {
    std::vector<std::string> names =
        Tokens(Trim(lines[i]).substr(std::strlen("Data:")));
    bool all_names = !names.empty();
    for (const std::string& name : names) all_names &= IsName(name);
    if (all_names) {
      header_line = i;
      columns = names;
      break;
    }
  }
  if (header_line < 0) return parser.Missing("Data:   y   x (column header)");
  int response_column = -1;
  for (int j = 0; j < static_cast<int>(columns.size()); ++j) {
    if (columns[j] == "y") {
      if (response_column >= 0) {
        return parser.Fail(header_line, "two columns named 'y'");
      }
      response_column = j;
    } else {
      dataset->predictor_names.push_back(columns[j]);
    }
  }
  if (response_column < 0) {
    return parser.Fail(header_line, "the data header has no column 'y'");
  }
  if (dataset->predictor_names.empty()) {
    return parser.Fail(header_line, "the data header has no predictor column");
  }
  dataset->response_name = "y";

  // Data rows.
  const int num_columns = static_cast<int>(columns.size());
  std::vector<std::vector<double>> rows;
  for (int i = header_line + 1; i < num_lines; ++i) {
    const std::vector<std::string> tokens = Tokens(lines[i]);
    if (tokens.empty()) continue;
    if (static_cast<int>(tokens.size()) != num_columns) {
      return parser.Fail(
          i, "expected " + std::to_string(num_columns) + " numbers (columns " +
                 Trim(lines[header_line].substr(std::strlen("Data:"))) +
                 "), found " + std::to_string(tokens.size()));
    }
    std::vector<double> row(num_columns);
    for (int j = 0; j < num_columns; ++j) {
      if (!ParseNumber(tokens[j], &row[j])) {
        return parser.Fail(i, "column " + std::to_string(j + 1) + " ('" +
                                  columns[j] + "'): '" + tokens[j] +
                                  "' is not a finite number");
      }
    }
    rows.push_back(row);
  }
  const int n = static_cast<int>(rows.size());
  if (n != observations) {
    return parser.Fail(num_lines - 1,
                       "found " + std::to_string(n) +
                           " data rows; 'Number of Observations:' says " +
                           std::to_string(observations));
  }
  const int k = num_columns - 1;
  dataset->responses.resize(n);
  dataset->predictors.resize(n, k);
  for (int i = 0; i < n; ++i) {
    int predictor = 0;
    for (int j = 0; j < num_columns; ++j) {
      if (j == response_column) {
        dataset->responses[i] = rows[i][j];
      } else {
        dataset->predictors(i, predictor++) = rows[i][j];
      }
    }
  }
  return true;
}

bool ReadNistDataset(const std::string& path, NistDataset* dataset,
                     std::string* error) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    if (error != nullptr) {
      *error = "cannot open NIST file '" + path + "': " + std::strerror(errno);
    }
    return false;
  }
  std::ostringstream contents;
  contents << file.rdbuf();
  return ParseNistDataset(contents.str(), path, dataset, error);
}

}  // namespace fisheropt
