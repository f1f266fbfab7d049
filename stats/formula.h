#ifndef FISHEROPT_STATS_FORMULA_H_
#define FISHEROPT_STATS_FORMULA_H_

#include <string>
#include <string_view>
#include <vector>

namespace fisheropt {

// A node of an expression in a model formula, as R parses it: numbers,
// column names, `.`, calls, unary and binary operators and parentheses
// (kept, so that a label reads as it was written).
struct FormulaExpr {
  enum class Kind {
    kNumber,  // 2.5
    kSymbol,  // wool, `my column`
    kDot,     // . (every other column, expanded by the model frame)
    kCall,    // log(x), factor(cyl), I(x^2), offset(log(n)), cbind(s, f)
    kUnary,   // -x, +x
    kBinary,  // a + b, a - b, a * b, a / b, a ^ b, a : b, y ~ x
    kParen,   // (a + b)
  };
  Kind kind = Kind::kNumber;
  double number = 0.0;  // kNumber
  std::string name;     // kSymbol: the column; kCall: the function
  char op = 0;          // kUnary, kBinary: one of + - * / ^ : ~
  // kCall: the arguments; kUnary, kParen: the operand; kBinary: left, right.
  std::vector<FormulaExpr> args;
  int position = 0;  // 1-based character of the node's first token

  // R's deparsed text: "log(x)", "I(x^2)", "I(x * 2)", "factor(cyl)",
  // "`my column`", "cbind(s, f)". Spaces around + - * and ~, none around
  // / ^ and :, as R's deparse; numbers as R prints them (R's as.character).
  std::string Label() const;
  // Appends the columns the expression reads, each once, in order.
  void CollectColumns(std::vector<std::string>* columns) const;
};

// A term of the right-hand side: a main effect (one variable) or an
// interaction (several), with R's label "a", "a:b".
struct FormulaTerm {
  std::vector<int> variables;  // indices into Formula::variables, ascending
  std::string label;
};

// A parsed model formula `response ~ terms` with R's terms() semantics:
// `a + b`, `a:b`, `a*b` (a + b + a:b), `a/b` (a + a:b), `(a + b)^2`,
// `- term` (removes that exact term), `-1` and `+0` (no intercept), `+1`,
// `.`, `offset(expr)`, and variables that are column names or calls:
// factor(x), log(x), exp(x), sqrt(x), log2, log10, abs, I(expr) with
// + - * / ^ and numbers inside I() and function arguments.
//
// Terms are in R's order: by the number of variables, then by first
// appearance; duplicates are dropped (a:b is b:a). Variables are numbered
// in order of first appearance, and an interaction's label lists its
// variables in that order, as R's ("b:a" in y ~ b:a + a).
struct Formula {
  std::string text;  // as given
  bool has_response = false;
  FormulaExpr response;  // an expression or cbind(successes, failures)
  FormulaExpr rhs;       // the right-hand side as parsed
  // The distinct variables of the terms, in order of first appearance (R's
  // "variables" attribute without the response and the offsets). Before the
  // model frame expands `.`, a `.` is one variable labelled ".".
  std::vector<FormulaExpr> variables;
  std::vector<FormulaTerm> terms;
  std::vector<FormulaExpr> offsets;  // the arguments of offset() terms
  bool intercept = true;
  bool has_dot = false;

  std::vector<std::string> TermLabels() const;
  // The response is cbind(successes, failures).
  bool IsBinomialCounts() const;
};

// Parses `text` into *formula. Errors are one line naming the character
// (1-based) and quoting the formula: "formula: unexpected ')' at character
// 9 of 'y ~ a + )'"; unknown functions, wrong argument counts, offset() in
// an interaction, cbind() outside the response and factor() inside
// arithmetic are errors too.
bool ParseFormula(std::string_view text, Formula* formula, std::string* error);

// The formula with `.` replaced by the given columns, as R's terms(formula,
// data = ) (the caller leaves out the response's columns). A formula
// without `.` is copied.
bool ExpandFormulaDot(const Formula& formula,
                      const std::vector<std::string>& dot_columns,
                      Formula* expanded, std::string* error);

// R's as.character of a double: up to 15 significant digits, fixed
// notation unless scientific is shorter ("4", "2.5", "1e+05", "1e-04").
std::string FormatRNumber(double value);

// A column name as a formula term: as it is when it is a syntactic name
// (letters, digits, '.' and '_', starting with a letter or '.'), else in
// backticks (R's rule for non-syntactic names), e.g. "x1", "`log dose`".
std::string FormulaTermName(const std::string& column);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_FORMULA_H_
