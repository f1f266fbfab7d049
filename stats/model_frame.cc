#include "stats/model_frame.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

// A design with more entries (N · p) than this is refused: it would not fit
// in memory, and the count is likelier a mistake (a factor with a level per
// row in an interaction).
constexpr double kMaxDesignEntries = 2e9;

std::string Quoted(const std::string& text) {
  return "'" + PrintableText(text) + "'";
}

// A variable's values on the rows used: numbers, or level indices.
struct VariableValues {
  Eigen::VectorXd numbers;
  std::vector<int> codes;
};

// A factor variable's values on the rows used: its distinct labels (in
// order of first appearance) and each row's label.
struct FactorObservations {
  std::vector<std::string> labels;
  std::vector<int> label_of_row;
  bool numeric = false;              // factor() of numbers
  std::vector<double> label_values;  // numeric: a value of each label
};

// Evaluates formula expressions on chosen rows of a data frame.
class Evaluator {
 public:
  Evaluator(const DataFrame& frame, const std::vector<int>& rows)
      : frame_(frame), rows_(rows) {}

  int NumRows() const { return static_cast<int>(rows_.size()); }

  // The column a symbol names, or null with an error listing the columns.
  const DataColumn* Column(const std::string& name, std::string* error) const {
    const int index = frame_.ColumnIndex(name);
    if (index < 0) {
      *error = "unknown column " + Quoted(name) +
               "; columns: " + frame_.ColumnList();
      return nullptr;
    }
    return &frame_.column(index);
  }

  // The numeric values of `expr`; `variable` labels the variable in
  // messages.
  bool Numeric(const FormulaExpr& expr, const std::string& variable,
               Eigen::ArrayXd* out, std::string* error) const {
    const int n = NumRows();
    switch (expr.kind) {
      case FormulaExpr::Kind::kNumber:
        out->setConstant(n, expr.number);
        return true;
      case FormulaExpr::Kind::kSymbol: {
        const DataColumn* column = Column(expr.name, error);
        if (column == nullptr) return false;
        if (column->type != DataColumnType::kNumeric) {
          *error = "column " + Quoted(expr.name) + " holds text, but " +
                   Quoted(variable) + " needs numbers";
          return false;
        }
        out->resize(n);
        for (int k = 0; k < n; ++k) (*out)[k] = column->numbers[rows_[k]];
        return true;
      }
      case FormulaExpr::Kind::kParen:
        return Numeric(expr.args[0], variable, out, error);
      case FormulaExpr::Kind::kUnary:
        if (!Numeric(expr.args[0], variable, out, error)) return false;
        if (expr.op == '-') *out = -*out;
        return true;
      case FormulaExpr::Kind::kBinary: {
        Eigen::ArrayXd right;
        if (!Numeric(expr.args[0], variable, out, error) ||
            !Numeric(expr.args[1], variable, &right, error)) {
          return false;
        }
        switch (expr.op) {
          case '+':
            *out += right;
            return true;
          case '-':
            *out -= right;
            return true;
          case '*':
            *out *= right;
            return true;
          case '/':
            *out /= right;
            return true;
          case '^':
            for (int k = 0; k < n; ++k) {
              (*out)[k] = std::pow((*out)[k], right[k]);
            }
            return true;
          default:
            break;
        }
        break;
      }
      case FormulaExpr::Kind::kCall: {
        if (expr.args.size() != 1) break;
        if (!Numeric(expr.args[0], variable, out, error)) return false;
        if (expr.name == "I") return true;
        if (expr.name == "log") {
          *out = out->log();
        } else if (expr.name == "exp") {
          *out = out->exp();
        } else if (expr.name == "sqrt") {
          *out = out->sqrt();
        } else if (expr.name == "log2") {
          *out = out->log() / std::log(2.0);
        } else if (expr.name == "log10") {
          *out = out->log10();
        } else if (expr.name == "abs") {
          *out = out->abs();
        } else {
          break;
        }
        return true;
      }
      case FormulaExpr::Kind::kDot:
        break;
    }
    *error = "cannot evaluate " + Quoted(expr.Label()) + " in " +
             Quoted(variable) + " as a number";
    return false;
  }

  // Numeric values that must be finite on every row.
  bool FiniteNumeric(const FormulaExpr& expr, Eigen::ArrayXd* out,
                     std::string* error) const {
    const std::string label = expr.Label();
    if (!Numeric(expr, label, out, error)) return false;
    for (int k = 0; k < NumRows(); ++k) {
      if (!std::isfinite((*out)[k])) {
        *error = Quoted(label) + " is " + FormatRNumber((*out)[k]) + " at " +
                 frame_.RowLabel(rows_[k]);
        return false;
      }
    }
    return true;
  }

  // The expression whose values are a factor variable's levels: the
  // argument of factor(), or the variable itself.
  static const FormulaExpr& FactorArgument(const FormulaExpr& variable) {
    if (variable.kind == FormulaExpr::Kind::kCall &&
        variable.name == "factor" && variable.args.size() == 1) {
      return variable.args[0];
    }
    return variable;
  }

  // True when `variable` is a factor in this data: factor(...) or a text
  // column.
  bool IsFactor(const FormulaExpr& variable) const {
    if (variable.kind == FormulaExpr::Kind::kCall) {
      return variable.name == "factor";
    }
    if (variable.kind != FormulaExpr::Kind::kSymbol) return false;
    const int index = frame_.ColumnIndex(variable.name);
    return index >= 0 && frame_.column(index).type == DataColumnType::kText;
  }

  // A factor variable's observations on the rows: the distinct labels and
  // each row's label (text as it is, numbers as R's as.character).
  bool Factor(const FormulaExpr& variable, FactorObservations* observations,
              std::string* error) const {
    const FormulaExpr& argument = FactorArgument(variable);
    *observations = FactorObservations();
    observations->label_of_row.resize(rows_.size());
    if (argument.kind == FormulaExpr::Kind::kSymbol) {
      const DataColumn* column = Column(argument.name, error);
      if (column == nullptr) return false;
      if (column->type == DataColumnType::kText) {
        std::unordered_map<std::string_view, int> ids;
        for (int k = 0; k < NumRows(); ++k) {
          const std::string& text = column->text[rows_[k]];
          const auto inserted = ids.emplace(text, static_cast<int>(ids.size()));
          if (inserted.second) observations->labels.push_back(text);
          observations->label_of_row[k] = inserted.first->second;
        }
        return true;
      }
    }
    observations->numeric = true;
    Eigen::ArrayXd numbers;
    if (!FiniteNumeric(argument, &numbers, error)) return false;
    // Each distinct value is formatted once; values printing alike share a
    // label, as R's factor().
    std::unordered_map<double, int> value_ids;
    std::unordered_map<std::string, int> label_ids;
    std::vector<int> label_of_value;
    for (int k = 0; k < NumRows(); ++k) {
      const auto value = value_ids.emplace(
          numbers[k], static_cast<int>(label_of_value.size()));
      if (value.second) {
        std::string label = FormatRNumber(numbers[k]);
        const auto inserted = label_ids.emplace(
            label, static_cast<int>(observations->labels.size()));
        if (inserted.second) {
          observations->labels.push_back(std::move(label));
          observations->label_values.push_back(numbers[k]);
        }
        label_of_value.push_back(inserted.first->second);
      }
      observations->label_of_row[k] = label_of_value[value.first->second];
    }
    return true;
  }

 private:
  const DataFrame& frame_;
  const std::vector<int>& rows_;
};

// The levels of a factor in R's order: by value for numbers, sorted text
// (bytewise: the C locale) otherwise.
std::vector<std::string> FactorLevels(const FactorObservations& observations) {
  std::vector<int> order(observations.labels.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return observations.numeric
               ? observations.label_values[a] < observations.label_values[b]
               : observations.labels[a] < observations.labels[b];
  });
  std::vector<std::string> levels;
  for (int i : order) levels.push_back(observations.labels[i]);
  return levels;
}

// Each distinct label's index among `levels`, or −1 for a label that is not
// a level.
std::vector<int> LevelOfLabel(const FactorObservations& observations,
                              const std::vector<std::string>& levels) {
  std::unordered_map<std::string_view, int> level_index;
  for (size_t l = 0; l < levels.size(); ++l) {
    level_index.emplace(levels[l], static_cast<int>(l));
  }
  std::vector<int> level_of_label;
  for (const std::string& label : observations.labels) {
    const auto found = level_index.find(label);
    level_of_label.push_back(found == level_index.end() ? -1 : found->second);
  }
  return level_of_label;
}

// R's TermCode: a factor is coded by contrasts when the term without it is
// empty (the intercept's place) or contained in an earlier term.
std::vector<ModelTermCoding> CodeTerms(
    const Formula& formula, const std::vector<ModelVariable>& variables) {
  std::vector<ModelTermCoding> codings;
  for (size_t t = 0; t < formula.terms.size(); ++t) {
    const std::vector<int>& term = formula.terms[t].variables;
    ModelTermCoding coding;
    coding.variables = term;
    for (int v : term) {
      if (!variables[v].is_factor) {
        coding.codings.push_back(FactorCoding::kNumeric);
        continue;
      }
      std::vector<int> rest;
      for (int other : term) {
        if (other != v) rest.push_back(other);
      }
      bool contained = rest.empty();
      for (size_t earlier = 0; earlier < t && !contained; ++earlier) {
        const std::vector<int>& previous = formula.terms[earlier].variables;
        contained = std::includes(previous.begin(), previous.end(),
                                  rest.begin(), rest.end());
      }
      coding.codings.push_back(contained ? FactorCoding::kContrasts
                                         : FactorCoding::kIndicators);
    }
    codings.push_back(std::move(coding));
  }
  // Without an intercept, R codes the first factor of the first term that
  // holds one by indicators, so that its levels span the intercept.
  if (!formula.intercept) {
    for (ModelTermCoding& coding : codings) {
      for (FactorCoding& code : coding.codings) {
        if (code != FactorCoding::kNumeric) {
          code = FactorCoding::kIndicators;
          return codings;
        }
      }
    }
  }
  return codings;
}

// The level choices of one variable in a term: −1 for a number, else the
// levels that get a column.
std::vector<int> LevelChoices(const ModelVariable& variable,
                              FactorCoding coding) {
  if (coding == FactorCoding::kNumeric) return {-1};
  std::vector<int> choices;
  const int first = coding == FactorCoding::kContrasts ? 1 : 0;
  for (int level = first; level < static_cast<int>(variable.levels.size());
       ++level) {
    choices.push_back(level);
  }
  return choices;
}

// Checks that every factor coded by contrasts has two levels.
bool CheckContrasts(const std::vector<ModelTermCoding>& codings,
                    const std::vector<ModelVariable>& variables,
                    std::string* error) {
  for (const ModelTermCoding& coding : codings) {
    for (size_t i = 0; i < coding.variables.size(); ++i) {
      const ModelVariable& variable = variables[coding.variables[i]];
      if (coding.codings[i] == FactorCoding::kContrasts &&
          variable.levels.size() < 2) {
        *error = "factor " + Quoted(variable.label) + " has only " +
                 (variable.levels.empty()
                      ? std::string("no level")
                      : "one level (" + Quoted(variable.levels[0]) + ")") +
                 " in the rows used; contrasts need two or more";
        return false;
      }
    }
  }
  return true;
}

// The column names of the design, R's model.matrix order: the intercept,
// then each term's columns with its first variable varying fastest.
std::vector<std::string> DesignColumnNames(
    bool intercept, const std::vector<ModelTermCoding>& codings,
    const std::vector<ModelVariable>& variables) {
  std::vector<std::string> names;
  if (intercept) names.push_back("(Intercept)");
  for (const ModelTermCoding& coding : codings) {
    std::vector<std::string> term_names = {""};
    for (size_t i = 0; i < coding.variables.size(); ++i) {
      const ModelVariable& variable = variables[coding.variables[i]];
      std::vector<std::string> next;
      for (int choice : LevelChoices(variable, coding.codings[i])) {
        const std::string piece =
            choice < 0 ? variable.label
                       : variable.label + variable.levels[choice];
        for (const std::string& prefix : term_names) {
          next.push_back(prefix.empty() ? piece : prefix + ":" + piece);
        }
      }
      term_names = std::move(next);
    }
    names.insert(names.end(), term_names.begin(), term_names.end());
  }
  return names;
}

// Fills the design matrix in the order of DesignColumnNames.
bool FillDesign(bool intercept, const std::vector<ModelTermCoding>& codings,
                const std::vector<ModelVariable>& variables,
                const std::vector<VariableValues>& values, int rows,
                RowMatrixXd* x, std::string* error) {
  const int columns =
      static_cast<int>(DesignColumnNames(intercept, codings, variables).size());
  if (static_cast<double>(rows) * columns > kMaxDesignEntries) {
    *error = "the design would have " + std::to_string(rows) + " rows and " +
             std::to_string(columns) + " columns, more than " +
             FormatRNumber(kMaxDesignEntries) + " entries";
    return false;
  }
  x->resize(rows, columns);  // every entry is written below
  int j = 0;
  if (intercept) x->col(j++).setOnes();
  for (const ModelTermCoding& coding : codings) {
    // Each column of the term is a product over its variables; columns are
    // enumerated with the first variable's choice varying fastest.
    std::vector<std::vector<int>> choices;
    size_t count = 1;
    for (size_t i = 0; i < coding.variables.size(); ++i) {
      choices.push_back(
          LevelChoices(variables[coding.variables[i]], coding.codings[i]));
      count *= choices.back().size();
    }
    std::vector<size_t> index(choices.size(), 0);
    for (size_t c = 0; c < count; ++c, ++j) {
      for (int r = 0; r < rows; ++r) {
        double product = 1.0;
        for (size_t i = 0; i < choices.size() && product != 0.0; ++i) {
          const VariableValues& value = values[coding.variables[i]];
          const int choice = choices[i][index[i]];
          product *= choice < 0 ? value.numbers[r]
                                : (value.codes[r] == choice ? 1.0 : 0.0);
        }
        (*x)(r, j) = product;
      }
      for (size_t i = 0; i < index.size(); ++i) {
        if (++index[i] < choices[i].size()) break;
        index[i] = 0;
      }
    }
  }
  return true;
}

void AddUnique(const std::string& name, std::vector<std::string>* names) {
  if (std::find(names->begin(), names->end(), name) == names->end()) {
    names->push_back(name);
  }
}

// The columns the terms' variables and the offsets read.
std::vector<std::string> PredictorColumns(const Formula& formula) {
  std::vector<std::string> columns;
  for (const FormulaExpr& variable : formula.variables) {
    variable.CollectColumns(&columns);
  }
  for (const FormulaExpr& offset : formula.offsets) {
    offset.CollectColumns(&columns);
  }
  return columns;
}

// Resolves column names to indices; an unknown one is an error listing the
// frame's columns.
bool ResolveColumns(const std::vector<std::string>& names,
                    const DataFrame& frame, std::vector<int>* indices,
                    std::string* error) {
  indices->clear();
  for (const std::string& name : names) {
    const int index = frame.ColumnIndex(name);
    if (index < 0) {
      *error =
          "unknown column " + Quoted(name) + "; columns: " + frame.ColumnList();
      return false;
    }
    indices->push_back(index);
  }
  return true;
}

// A numeric column of the options (weights, offset).
bool CheckNumericColumn(const DataFrame& frame, const std::string& name,
                        const char* role, std::string* error) {
  const int index = frame.ColumnIndex(name);
  if (index >= 0 && frame.column(index).type != DataColumnType::kNumeric) {
    *error = "the " + std::string(role) + " column " + Quoted(name) +
             " holds text; it must hold numbers";
    return false;
  }
  return true;
}

// Sums the offset() terms and the offset column on the rows; empty when
// there are none.
bool ComputeOffset(const Formula& formula, const std::string& offset_column,
                   const Evaluator& evaluator, const DataFrame& frame,
                   const std::vector<int>& rows, Eigen::VectorXd* offset,
                   std::string* error) {
  offset->resize(0);
  if (formula.offsets.empty() && offset_column.empty()) return true;
  Eigen::ArrayXd sum = Eigen::ArrayXd::Zero(evaluator.NumRows());
  for (const FormulaExpr& term : formula.offsets) {
    Eigen::ArrayXd values;
    if (!evaluator.FiniteNumeric(term, &values, error)) return false;
    sum += values;
  }
  if (!offset_column.empty()) {
    if (!CheckNumericColumn(frame, offset_column, "offset", error)) {
      return false;
    }
    const DataColumn& column = frame.column(frame.ColumnIndex(offset_column));
    for (size_t k = 0; k < rows.size(); ++k) sum[k] += column.numbers[rows[k]];
  }
  *offset = sum.matrix();
  return true;
}

// The first used column missing on `row`, or −1.
int FirstMissing(const DataFrame& frame, const std::vector<int>& columns,
                 int row) {
  for (int column : columns) {
    if (frame.column(column).IsMissing(row)) return column;
  }
  return -1;
}

bool IsWholeNumber(double value) { return value == std::floor(value); }

// y = s/(s + f) and the binomial totals s + f, as R's binomial family reads
// cbind(successes, failures).
bool BinomialCounts(const FormulaExpr& response, const Evaluator& evaluator,
                    const DataFrame& frame, const std::vector<int>& rows,
                    Eigen::VectorXd* y, Eigen::VectorXd* totals,
                    std::string* error) {
  Eigen::ArrayXd counts[2];
  for (int side = 0; side < 2; ++side) {
    if (!evaluator.FiniteNumeric(response.args[side], &counts[side], error)) {
      return false;
    }
    for (int k = 0; k < evaluator.NumRows(); ++k) {
      const double count = counts[side][k];
      if (count < 0 || !IsWholeNumber(count)) {
        *error = Quoted(response.Label()) + ": " +
                 Quoted(response.args[side].Label()) + " is " +
                 FormatRNumber(count) + " at " + frame.RowLabel(rows[k]) +
                 "; counts must be whole numbers >= 0";
        return false;
      }
    }
  }
  *totals = (counts[0] + counts[1]).matrix();
  y->resize(totals->size());
  for (Eigen::Index k = 0; k < totals->size(); ++k) {
    (*y)[k] = (*totals)[k] > 0 ? counts[0][k] / (*totals)[k] : 0.0;
  }
  return true;
}

// The formula with `.` expanded to every column but the response's, the
// weights and the offset column; a response that is also a term is refused
// (R drops it with a warning, and a library that never prints cannot).
bool ExpandForFrame(const Formula& parsed, const DataFrame& frame,
                    const ModelFrameOptions& options, Formula* formula,
                    std::string* error) {
  if (!parsed.has_response) {
    *error = "the formula " + Quoted(parsed.text) + " has no response";
    return false;
  }
  std::vector<std::string> response_columns;
  parsed.response.CollectColumns(&response_columns);
  std::vector<std::string> dot_columns;
  for (const std::string& name : frame.ColumnNames()) {
    if (std::find(response_columns.begin(), response_columns.end(), name) ==
            response_columns.end() &&
        name != options.weights_column && name != options.offset_column) {
      dot_columns.push_back(name);
    }
  }
  if (!ExpandFormulaDot(parsed, dot_columns, formula, error)) return false;
  const std::string response_label = formula->response.Label();
  for (const FormulaTerm& term : formula->terms) {
    if (term.label == response_label) {
      *error = "the response " + Quoted(response_label) +
               " is also a term of " + Quoted(formula->text);
      return false;
    }
  }
  return true;
}

// The columns a model reads: the response's, the terms' and offsets', the
// weights and the offset column, each once.
std::vector<std::string> UsedColumns(const Formula& formula,
                                     const ModelFrameOptions& options) {
  std::vector<std::string> used;
  formula.response.CollectColumns(&used);
  for (const std::string& name : PredictorColumns(formula)) {
    AddUnique(name, &used);
  }
  if (!options.weights_column.empty()) {
    AddUnique(options.weights_column, &used);
  }
  if (!options.offset_column.empty()) AddUnique(options.offset_column, &used);
  return used;
}

// The rows without a missing value in the used columns (R's na.omit when
// `drop`), or the first incomplete row's error.
bool CompleteRows(const DataFrame& frame, const std::vector<int>& used_indices,
                  bool drop, std::vector<int>* rows, int* rows_dropped,
                  std::string* error) {
  rows->clear();
  *rows_dropped = 0;
  for (int row = 0; row < frame.NumRows(); ++row) {
    const int missing = FirstMissing(frame, used_indices, row);
    if (missing < 0) {
      rows->push_back(row);
      continue;
    }
    if (!drop) {
      *error = "column " + Quoted(frame.column(missing).name) +
               " is missing at " + frame.RowLabel(row) +
               " (drop_incomplete_rows drops such rows, as R's na.omit)";
      return false;
    }
    ++*rows_dropped;
  }
  if (rows->empty()) {
    *error = "no complete rows: every row has a missing value in " +
             std::to_string(used_indices.size()) + " used columns";
    return false;
  }
  return true;
}

// Adds `extra` labels (ModelFrameOptions::extra_factor_levels) to a
// factor's observed labels, valued as numbers for factor() of numbers.
void AddLabels(const std::vector<std::string>& extra,
               FactorObservations* observations) {
  for (const std::string& label : extra) {
    if (std::find(observations->labels.begin(), observations->labels.end(),
                  label) != observations->labels.end()) {
      continue;
    }
    observations->labels.push_back(label);
    if (observations->numeric) {
      observations->label_values.push_back(std::strtod(label.c_str(), nullptr));
    }
  }
}

// Evaluates every variable of the formula on the rows: numbers, or a
// factor's levels (those of the rows used, and any extra ones) and each
// row's level.
bool CodeVariables(
    const Formula& formula, const Evaluator& evaluator,
    const std::map<std::string, std::vector<std::string>>& extra_levels,
    std::vector<ModelVariable>* variables, std::vector<VariableValues>* values,
    std::string* error) {
  const int n = evaluator.NumRows();
  variables->clear();
  values->assign(formula.variables.size(), VariableValues());
  for (size_t v = 0; v < formula.variables.size(); ++v) {
    const FormulaExpr& expr = formula.variables[v];
    ModelVariable variable;
    variable.label = expr.Label();
    variable.is_factor = evaluator.IsFactor(expr);
    if (variable.is_factor) {
      FactorObservations observations;
      if (!evaluator.Factor(expr, &observations, error)) return false;
      const auto extra = extra_levels.find(variable.label);
      if (extra != extra_levels.end()) AddLabels(extra->second, &observations);
      variable.levels = FactorLevels(observations);
      const std::vector<int> level_of_label =
          LevelOfLabel(observations, variable.levels);
      (*values)[v].codes.resize(n);
      for (int k = 0; k < n; ++k) {
        (*values)[v].codes[k] = level_of_label[observations.label_of_row[k]];
      }
    } else {
      Eigen::ArrayXd numbers;
      if (!evaluator.FiniteNumeric(expr, &numbers, error)) return false;
      (*values)[v].numbers = numbers.matrix();
    }
    variables->push_back(std::move(variable));
  }
  return true;
}

// The prior weights on the rows (empty without a weights column); a
// negative weight is an error naming the line.
bool PriorWeights(const DataFrame& frame, const std::string& weights_column,
                  const std::vector<int>& rows, Eigen::VectorXd* weights,
                  std::string* error) {
  weights->resize(0);
  if (weights_column.empty()) return true;
  const DataColumn& column = frame.column(frame.ColumnIndex(weights_column));
  weights->resize(static_cast<Eigen::Index>(rows.size()));
  for (size_t k = 0; k < rows.size(); ++k) {
    const double weight = column.numbers[rows[k]];
    if (weight < 0) {
      *error = "the weights column " + Quoted(weights_column) + " is " +
               FormatRNumber(weight) + " at " + frame.RowLabel(rows[k]) +
               "; weights must be >= 0";
      return false;
    }
    (*weights)[static_cast<Eigen::Index>(k)] = weight;
  }
  return true;
}

// y and response_name; for cbind(s, f) also the binomial totals, which
// multiply the prior weights already in data->weights.
bool FillResponse(const Formula& formula, const Evaluator& evaluator,
                  const DataFrame& frame, const std::vector<int>& rows,
                  Dataset* data, std::string* error) {
  data->response_name = formula.response.Label();
  if (!formula.IsBinomialCounts()) {
    Eigen::ArrayXd y;
    if (!evaluator.FiniteNumeric(formula.response, &y, error)) return false;
    data->y = y.matrix();
    return true;
  }
  Eigen::VectorXd totals;
  if (!BinomialCounts(formula.response, evaluator, frame, rows, &data->y,
                      &totals, error)) {
    return false;
  }
  data->weights = data->HasWeights()
                      ? Eigen::VectorXd(data->weights.cwiseProduct(totals))
                      : totals;
  return true;
}

}  // namespace

std::string ModelFrame::DescribeFactors() const {
  std::string text;
  for (const ModelVariable& variable : variables) {
    if (!variable.is_factor) continue;
    if (!text.empty()) text += "; ";
    text += variable.label + ":";
    for (size_t i = 0; i < variable.levels.size(); ++i) {
      text += (i == 0 ? " " : ", ") + variable.levels[i];
    }
  }
  return text;
}

bool BuildModelFrame(const Formula& parsed, const DataFrame& frame,
                     const ModelFrameOptions& options, ModelFrame* model_frame,
                     std::string* error) {
  ModelFrame result;
  result.formula_text = parsed.text;
  result.offset_column = options.offset_column;
  if (!ExpandForFrame(parsed, frame, options, &result.formula, error)) {
    return false;
  }
  const Formula& formula = result.formula;
  result.variables_used = UsedColumns(formula, options);
  std::vector<int> used_indices;
  if (!ResolveColumns(result.variables_used, frame, &used_indices, error) ||
      !CheckNumericColumn(frame, options.weights_column, "weights", error) ||
      !CompleteRows(frame, used_indices, options.drop_incomplete_rows,
                    &result.rows_used, &result.rows_dropped, error)) {
    return false;
  }
  const std::vector<int>& rows = result.rows_used;
  const Evaluator evaluator(frame, rows);
  std::vector<VariableValues> values;
  if (!CodeVariables(formula, evaluator, options.extra_factor_levels,
                     &result.variables, &values, error)) {
    return false;
  }
  result.term_codings = CodeTerms(formula, result.variables);
  if (!CheckContrasts(result.term_codings, result.variables, error)) {
    return false;
  }
  Dataset& data = result.data;
  data.column_names = DesignColumnNames(formula.intercept, result.term_codings,
                                        result.variables);
  if (!FillDesign(formula.intercept, result.term_codings, result.variables,
                  values, evaluator.NumRows(), &data.x, error) ||
      !PriorWeights(frame, options.weights_column, rows, &data.weights,
                    error) ||
      !FillResponse(formula, evaluator, frame, rows, &data, error) ||
      !ComputeOffset(formula, options.offset_column, evaluator, frame, rows,
                     &data.offset, error)) {
    return false;
  }
  *model_frame = std::move(result);
  return true;
}

bool ModelFrameVariables(const Formula& parsed, const DataFrame& frame,
                         const ModelFrameOptions& options,
                         std::vector<ModelVariable>* variables,
                         std::string* error) {
  Formula formula;
  if (!ExpandForFrame(parsed, frame, options, &formula, error)) return false;
  std::vector<int> used_indices, rows;
  int rows_dropped = 0;
  if (!ResolveColumns(UsedColumns(formula, options), frame, &used_indices,
                      error) ||
      !CompleteRows(frame, used_indices, options.drop_incomplete_rows, &rows,
                    &rows_dropped, error)) {
    return false;
  }
  const Evaluator evaluator(frame, rows);
  std::vector<VariableValues> values;
  return CodeVariables(formula, evaluator, options.extra_factor_levels,
                       variables, &values, error);
}

bool BuildPredictionDesign(const ModelFrame& fitted, const DataFrame& newdata,
                           RowMatrixXd* x, Eigen::VectorXd* offset,
                           std::string* error) {
  const Formula& formula = fitted.formula;
  std::vector<std::string> used = PredictorColumns(formula);
  if (!fitted.offset_column.empty()) AddUnique(fitted.offset_column, &used);
  std::vector<int> used_indices;
  if (!ResolveColumns(used, newdata, &used_indices, error)) return false;
  std::vector<int> rows(newdata.NumRows());
  for (int row = 0; row < newdata.NumRows(); ++row) {
    const int missing = FirstMissing(newdata, used_indices, row);
    if (missing >= 0) {
      *error = "new data: column " + Quoted(newdata.column(missing).name) +
               " is missing at " + newdata.RowLabel(row);
      return false;
    }
    rows[row] = row;
  }
  const int n = static_cast<int>(rows.size());
  const Evaluator evaluator(newdata, rows);
  std::vector<VariableValues> values(formula.variables.size());
  for (size_t v = 0; v < formula.variables.size(); ++v) {
    const FormulaExpr& expr = formula.variables[v];
    const ModelVariable& variable = fitted.variables[v];
    if (!variable.is_factor) {
      Eigen::ArrayXd numbers;
      if (!evaluator.FiniteNumeric(expr, &numbers, error)) {
        *error = "new data: " + *error;
        return false;
      }
      values[v].numbers = numbers.matrix();
      continue;
    }
    FactorObservations observations;
    if (!evaluator.Factor(expr, &observations, error)) {
      *error = "new data: " + *error;
      return false;
    }
    const std::vector<int> level_of_label =
        LevelOfLabel(observations, variable.levels);
    values[v].codes.resize(n);
    for (int k = 0; k < n; ++k) {
      const int label = observations.label_of_row[k];
      if (level_of_label[label] < 0) {
        std::string levels;
        for (const std::string& level : variable.levels) {
          levels += (levels.empty() ? "" : ", ") + PrintableText(level);
        }
        *error = "new data: factor " + Quoted(variable.label) + " has level " +
                 Quoted(observations.labels[label]) + " at " +
                 newdata.RowLabel(rows[k]) +
                 ", which the fit never saw (levels: " + levels + ")";
        return false;
      }
      values[v].codes[k] = level_of_label[label];
    }
  }
  if (!FillDesign(formula.intercept, fitted.term_codings, fitted.variables,
                  values, n, x, error)) {
    return false;
  }
  return ComputeOffset(formula, fitted.offset_column, evaluator, newdata, rows,
                       offset, error);
}

}  // namespace fisheropt
