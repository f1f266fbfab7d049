#include "stats/formula.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "problems/printable_text.h"

namespace fisheropt {
namespace {

// Parentheses and calls nest at most this deep, so that hostile input
// cannot exhaust the stack.
constexpr int kMaxDepth = 200;
// A formula has at most this many tokens: the expression trees are walked
// recursively, and a chain of binary operators is as deep as it is long. A
// wide model is written with `.`.
constexpr size_t kMaxTokens = 4096;

// Functions of a number that a variable may apply (elementwise).
constexpr const char* kNumericFunctions[] = {"log",  "exp",   "sqrt",
                                             "log2", "log10", "abs"};

bool IsNumericFunction(const std::string& name) {
  for (const char* known : kNumericFunctions) {
    if (name == known) return true;
  }
  return false;
}

bool IsNameStart(unsigned char c) {
  return std::isalpha(c) || c == '.' || c >= 0x80;
}
bool IsNameChar(unsigned char c) {
  return std::isalnum(c) || c == '.' || c == '_' || c >= 0x80;
}

// A name R prints without backticks.
bool IsSyntacticName(const std::string& name) {
  if (name.empty() || !IsNameStart(name[0])) return false;
  if (name[0] == '.' && name.size() > 1 &&
      std::isdigit(static_cast<unsigned char>(name[1]))) {
    return false;
  }
  for (char c : name) {
    if (!IsNameChar(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

enum class TokenKind { kNumber, kName, kOperator, kOpen, kClose, kComma, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // as written (a backticked name without its backticks)
  double number = 0.0;
  int position = 0;  // 1-based
};

// A recursive-descent parser with R's precedence, lowest first: ~, binary
// + -, * /, :, unary + -, ^ (right-associative).
class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool Parse(FormulaExpr* left, FormulaExpr* right, bool* has_left,
             std::string* error) {
    if (!Tokenize(error)) return false;
    *has_left = false;
    if (!IsOperator("~")) {
      if (Peek().kind == TokenKind::kEnd)
        return Fail("an empty formula", error);
      if (!ParseSum(left, error)) return false;
      *has_left = true;
      if (!IsOperator("~")) return Unexpected(error);
    }
    ++next_;
    if (!ParseSum(right, error)) return false;
    if (Peek().kind != TokenKind::kEnd) return Unexpected(error);
    return true;
  }

 private:
  const Token& Peek() const { return tokens_[next_]; }
  bool IsOperator(const char* op) const {
    return Peek().kind == TokenKind::kOperator && Peek().text == op;
  }

  std::string Where(int position) const {
    return " at character " + std::to_string(position) + " of '" +
           PrintableText(text_) + "'";
  }
  bool Fail(const std::string& what, std::string* error) const {
    *error = "formula: " + what + Where(Peek().position);
    return false;
  }
  bool Unexpected(std::string* error) const {
    if (Peek().kind == TokenKind::kEnd) {
      *error = "formula: unexpected end" + Where(Peek().position);
    } else {
      *error = "formula: unexpected '" + PrintableText(Peek().text) + "'" +
               Where(Peek().position);
    }
    return false;
  }

  bool Tokenize(std::string* error) {
    size_t i = 0;
    while (i < text_.size()) {
      const unsigned char c = text_[i];
      const int position = static_cast<int>(i) + 1;
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i;
        continue;
      }
      Token token;
      token.position = position;
      if (std::isdigit(c) ||
          (c == '.' && i + 1 < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        size_t end = i;
        while (end < text_.size() &&
               (std::isdigit(static_cast<unsigned char>(text_[end])) ||
                text_[end] == '.')) {
          ++end;
        }
        if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
          size_t exponent = end + 1;
          if (exponent < text_.size() &&
              (text_[exponent] == '+' || text_[exponent] == '-')) {
            ++exponent;
          }
          if (exponent < text_.size() &&
              std::isdigit(static_cast<unsigned char>(text_[exponent]))) {
            end = exponent;
            while (end < text_.size() &&
                   std::isdigit(static_cast<unsigned char>(text_[end]))) {
              ++end;
            }
          }
        }
        token.kind = TokenKind::kNumber;
        token.text = std::string(text_.substr(i, end - i));
        char* parsed_end = nullptr;
        token.number = std::strtod(token.text.c_str(), &parsed_end);
        if (parsed_end != token.text.c_str() + token.text.size() ||
            !std::isfinite(token.number)) {
          *error = "formula: malformed number '" + PrintableText(token.text) +
                   "'" + Where(position);
          return false;
        }
        i = end;
      } else if (IsNameStart(c)) {
        size_t end = i;
        while (end < text_.size() &&
               IsNameChar(static_cast<unsigned char>(text_[end]))) {
          ++end;
        }
        token.kind = TokenKind::kName;
        token.text = std::string(text_.substr(i, end - i));
        i = end;
      } else if (c == '`') {
        const size_t close = text_.find('`', i + 1);
        if (close == std::string_view::npos) {
          *error = "formula: unterminated ` name" + Where(position);
          return false;
        }
        if (close == i + 1) {
          *error = "formula: empty ` name" + Where(position);
          return false;
        }
        token.kind = TokenKind::kName;
        token.text = std::string(text_.substr(i + 1, close - i - 1));
        i = close + 1;
      } else if (c == '(' || c == ')' || c == ',') {
        token.kind = c == '('
                         ? TokenKind::kOpen
                         : (c == ')' ? TokenKind::kClose : TokenKind::kComma);
        token.text = std::string(1, static_cast<char>(c));
        ++i;
      } else if (std::string_view("~+-*/^:").find(static_cast<char>(c)) !=
                 std::string_view::npos) {
        token.kind = TokenKind::kOperator;
        token.text = std::string(1, static_cast<char>(c));
        ++i;
      } else if (c == '%') {
        *error =
            "formula: operators like %in% are not supported" + Where(position);
        return false;
      } else {
        *error = "formula: unexpected '" + PrintableText(text_.substr(i, 1)) +
                 "'" + Where(position);
        return false;
      }
      tokens_.push_back(std::move(token));
      if (tokens_.size() > kMaxTokens) {
        *error = "formula: more than " + std::to_string(kMaxTokens) +
                 " tokens" + Where(position) + " (write a wide model with '.')";
        return false;
      }
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.position = static_cast<int>(text_.size()) + 1;
    tokens_.push_back(end);
    return true;
  }

  static FormulaExpr Binary(char op, FormulaExpr left, FormulaExpr right,
                            int position) {
    FormulaExpr node;
    node.kind = FormulaExpr::Kind::kBinary;
    node.op = op;
    node.position = position;
    node.args.push_back(std::move(left));
    node.args.push_back(std::move(right));
    return node;
  }

  // Parses left-associative binary operators `ops` over `operand`.
  template <typename Operand>
  bool ParseLeft(const char* ops, Operand operand, FormulaExpr* out,
                 std::string* error) {
    if (!(this->*operand)(out, error)) return false;
    while (Peek().kind == TokenKind::kOperator &&
           std::string_view(ops).find(Peek().text[0]) !=
               std::string_view::npos) {
      const char op = Peek().text[0];
      ++next_;
      FormulaExpr right;
      if (!(this->*operand)(&right, error)) return false;
      const int position = out->position;
      *out = Binary(op, std::move(*out), std::move(right), position);
    }
    return true;
  }

  bool ParseSum(FormulaExpr* out, std::string* error) {
    return ParseLeft("+-", &Parser::ParseProduct, out, error);
  }
  bool ParseProduct(FormulaExpr* out, std::string* error) {
    return ParseLeft("*/", &Parser::ParseColon, out, error);
  }
  bool ParseColon(FormulaExpr* out, std::string* error) {
    return ParseLeft(":", &Parser::ParseUnary, out, error);
  }

  bool ParseUnary(FormulaExpr* out, std::string* error) {
    if (IsOperator("-") || IsOperator("+")) {
      FormulaExpr node;
      node.kind = FormulaExpr::Kind::kUnary;
      node.op = Peek().text[0];
      node.position = Peek().position;
      ++next_;
      if (++depth_ > kMaxDepth) return Fail("nested too deeply", error);
      node.args.emplace_back();
      if (!ParseUnary(&node.args[0], error)) return false;
      --depth_;
      *out = std::move(node);
      return true;
    }
    return ParsePower(out, error);
  }

  bool ParsePower(FormulaExpr* out, std::string* error) {
    if (!ParsePrimary(out, error)) return false;
    if (!IsOperator("^")) return true;
    ++next_;
    FormulaExpr exponent;
    if (++depth_ > kMaxDepth) return Fail("nested too deeply", error);
    if (!ParseUnary(&exponent, error)) return false;
    --depth_;
    const int position = out->position;
    *out = Binary('^', std::move(*out), std::move(exponent), position);
    return true;
  }

  bool ParsePrimary(FormulaExpr* out, std::string* error) {
    const Token& token = Peek();
    FormulaExpr node;
    node.position = token.position;
    switch (token.kind) {
      case TokenKind::kNumber:
        node.kind = FormulaExpr::Kind::kNumber;
        node.number = token.number;
        ++next_;
        break;
      case TokenKind::kName:
        node.name = token.text;
        ++next_;
        if (Peek().kind == TokenKind::kOpen) {
          node.kind = FormulaExpr::Kind::kCall;
          ++next_;
          if (++depth_ > kMaxDepth) return Fail("nested too deeply", error);
          if (Peek().kind == TokenKind::kClose) return Unexpected(error);
          while (true) {
            node.args.emplace_back();
            if (!ParseSum(&node.args.back(), error)) return false;
            if (Peek().kind == TokenKind::kComma) {
              ++next_;
              continue;
            }
            if (Peek().kind != TokenKind::kClose) return Unexpected(error);
            ++next_;
            break;
          }
          --depth_;
        } else if (node.name == "." && text_[token.position - 1] != '`') {
          node.kind = FormulaExpr::Kind::kDot;
        } else {
          node.kind = FormulaExpr::Kind::kSymbol;
        }
        break;
      case TokenKind::kOpen:
        node.kind = FormulaExpr::Kind::kParen;
        ++next_;
        if (++depth_ > kMaxDepth) return Fail("nested too deeply", error);
        node.args.emplace_back();
        if (!ParseSum(&node.args[0], error)) return false;
        if (Peek().kind != TokenKind::kClose) return Unexpected(error);
        ++next_;
        --depth_;
        break;
      default:
        return Unexpected(error);
    }
    *out = std::move(node);
    return true;
  }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t next_ = 0;
  int depth_ = 0;
};

// Checks a variable's expression: a column, `.`, factor(arithmetic), or
// arithmetic (numbers, columns, + - * / ^, parentheses, I() and the
// numeric functions). `top` is true for the variable itself, where
// factor() is allowed.
bool CheckVariable(const FormulaExpr& expr, bool top, const std::string& text,
                   std::string* error) {
  const auto fail = [&](const std::string& what) {
    *error = "formula: " + what + " at character " +
             std::to_string(expr.position) + " of '" + PrintableText(text) +
             "'";
    return false;
  };
  switch (expr.kind) {
    case FormulaExpr::Kind::kNumber:
    case FormulaExpr::Kind::kSymbol:
      return true;
    case FormulaExpr::Kind::kDot:
      return top ? true : fail("'.' inside an expression");
    case FormulaExpr::Kind::kParen:
    case FormulaExpr::Kind::kUnary:
      return CheckVariable(expr.args[0], false, text, error);
    case FormulaExpr::Kind::kBinary:
      if (expr.op == ':' || expr.op == '~') {
        return fail(std::string("'") + expr.op + "' inside an expression");
      }
      return CheckVariable(expr.args[0], false, text, error) &&
             CheckVariable(expr.args[1], false, text, error);
    case FormulaExpr::Kind::kCall: {
      const bool is_factor = expr.name == "factor";
      if (is_factor && !top) {
        return fail("factor() inside an expression");
      }
      if (expr.name == "offset") {
        return fail("offset() inside an expression or interaction");
      }
      if (expr.name == "cbind") return fail("cbind() outside the response");
      if (!is_factor && expr.name != "I" && !IsNumericFunction(expr.name)) {
        return fail("unknown function '" + PrintableText(expr.name) +
                    "' (known: factor, I, offset, cbind, log, exp, sqrt, "
                    "log2, log10, abs)");
      }
      if (expr.args.size() != 1) {
        return fail(expr.name + "() takes one argument, not " +
                    std::to_string(expr.args.size()));
      }
      return CheckVariable(expr.args[0], false, text, error);
    }
  }
  return true;
}

bool CheckResponse(const FormulaExpr& expr, const std::string& text,
                   std::string* error) {
  if (expr.kind == FormulaExpr::Kind::kCall && expr.name == "cbind") {
    if (expr.args.size() != 2) {
      *error =
          "formula: cbind() takes two arguments (successes, failures)"
          " at character " +
          std::to_string(expr.position) + " of '" + PrintableText(text) + "'";
      return false;
    }
    return CheckVariable(expr.args[0], false, text, error) &&
           CheckVariable(expr.args[1], false, text, error);
  }
  if (expr.kind == FormulaExpr::Kind::kCall && expr.name == "factor") {
    *error =
        "formula: a factor response is not supported; code it as 0/1 "
        "at character " +
        std::to_string(expr.position) + " of '" + PrintableText(text) + "'";
    return false;
  }
  return CheckVariable(expr, false, text, error);
}

// The expansion of part of a right-hand side into terms.
struct TermList {
  enum class Intercept { kUnset, kOn, kOff };
  std::vector<std::vector<int>> terms;  // each ascending variable indices
  Intercept intercept = Intercept::kUnset;

  void Add(const std::vector<int>& term) {
    if (std::find(terms.begin(), terms.end(), term) == terms.end()) {
      terms.push_back(term);
    }
  }
};

std::vector<int> Union(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<int> result;
  std::set_union(a.begin(), a.end(), b.begin(), b.end(),
                 std::back_inserter(result));
  return result;
}

// Expands a right-hand side into terms with R's rules (terms.formula).
class TermExpander {
 public:
  TermExpander(const std::string& text,
               const std::vector<std::string>* dot_columns)
      : text_(text), dot_columns_(dot_columns) {}

  bool Expand(const FormulaExpr& expr, TermList* out, std::string* error) {
    switch (expr.kind) {
      case FormulaExpr::Kind::kParen:
        return Expand(expr.args[0], out, error);
      case FormulaExpr::Kind::kNumber:
        if (expr.number == 0.0 || expr.number == 1.0) {
          out->intercept = expr.number == 1.0 ? TermList::Intercept::kOn
                                              : TermList::Intercept::kOff;
          return true;
        }
        return Fail(
            expr,
            "invalid term '" + expr.Label() + "' (only 0 and 1 stand alone)",
            error);
      case FormulaExpr::Kind::kUnary: {
        TermList operand;
        if (!Expand(expr.args[0], &operand, error)) return false;
        if (expr.op == '+') {
          *out = std::move(operand);
        } else {
          out->intercept = Negated(operand.intercept);
        }
        return true;
      }
      case FormulaExpr::Kind::kBinary:
        return ExpandBinary(expr, out, error);
      case FormulaExpr::Kind::kCall:
        if (expr.name == "offset") {
          if (expr.args.size() != 1) {
            return Fail(expr, "offset() takes one argument", error);
          }
          if (!CheckVariable(expr.args[0], false, text_, error)) return false;
          offsets.push_back(expr.args[0]);
          return true;
        }
        break;
      case FormulaExpr::Kind::kDot:
        if (dot_columns_ != nullptr) {
          has_dot = true;
          for (const std::string& column : *dot_columns_) {
            FormulaExpr symbol;
            symbol.kind = FormulaExpr::Kind::kSymbol;
            symbol.name = column;
            symbol.position = expr.position;
            out->Add({VariableIndex(symbol)});
          }
          return true;
        }
        has_dot = true;
        break;
      case FormulaExpr::Kind::kSymbol:
        break;
    }
    if (!CheckVariable(expr, true, text_, error)) return false;
    out->Add({VariableIndex(expr)});
    return true;
  }

  std::vector<FormulaExpr> variables;
  std::vector<FormulaExpr> offsets;
  bool has_dot = false;

 private:
  static TermList::Intercept Negated(TermList::Intercept intercept) {
    switch (intercept) {
      case TermList::Intercept::kOn:
        return TermList::Intercept::kOff;
      case TermList::Intercept::kOff:
        return TermList::Intercept::kOn;
      case TermList::Intercept::kUnset:
        break;
    }
    return TermList::Intercept::kUnset;
  }

  bool Fail(const FormulaExpr& at, const std::string& what,
            std::string* error) const {
    *error = "formula: " + what + " at character " +
             std::to_string(at.position) + " of '" + PrintableText(text_) + "'";
    return false;
  }

  int VariableIndex(const FormulaExpr& expr) {
    const std::string label = expr.Label();
    for (size_t i = 0; i < variables.size(); ++i) {
      if (variables[i].Label() == label) return static_cast<int>(i);
    }
    variables.push_back(expr);
    return static_cast<int>(variables.size()) - 1;
  }

  // Expands an operand of an interaction operator, where offset() has no
  // meaning.
  bool ExpandFactorOperand(const FormulaExpr& expr, TermList* out,
                           std::string* error) {
    const size_t offsets_before = offsets.size();
    if (!Expand(expr, out, error)) return false;
    if (offsets.size() != offsets_before) {
      return Fail(expr, "offset() inside an interaction", error);
    }
    return true;
  }

  static TermList Interact(const TermList& left, const TermList& right) {
    TermList result;
    for (const std::vector<int>& a : left.terms) {
      for (const std::vector<int>& b : right.terms) result.Add(Union(a, b));
    }
    return result;
  }

  bool ExpandBinary(const FormulaExpr& expr, TermList* out,
                    std::string* error) {
    const char op = expr.op;
    if (op == '~') return Fail(expr, "a second '~'", error);
    TermList left;
    TermList right;
    const bool interaction = op == '*' || op == ':' || op == '/' || op == '^';
    if (interaction) {
      if (!ExpandFactorOperand(expr.args[0], &left, error)) return false;
    } else if (!Expand(expr.args[0], &left, error)) {
      return false;
    }
    if (op == '^') {
      const FormulaExpr& power = expr.args[1];
      if (power.kind != FormulaExpr::Kind::kNumber || power.number < 1 ||
          power.number != std::floor(power.number) || power.number > 32) {
        return Fail(power,
                    "the power of a term must be a whole number from 1 to 32",
                    error);
      }
      TermList result = left;
      for (int k = 1; k < static_cast<int>(power.number); ++k) {
        TermList product = Interact(result, left);
        for (const auto& term : product.terms) result.Add(term);
      }
      result.intercept = left.intercept;
      *out = std::move(result);
      return true;
    }
    if (interaction) {
      if (!ExpandFactorOperand(expr.args[1], &right, error)) return false;
    } else if (!Expand(expr.args[1], &right, error)) {
      return false;
    }
    TermList result;
    switch (op) {
      case '+':
        result = std::move(left);
        for (const auto& term : right.terms) result.Add(term);
        if (right.intercept != TermList::Intercept::kUnset) {
          result.intercept = right.intercept;
        }
        break;
      case '-':
        for (const auto& term : left.terms) {
          if (std::find(right.terms.begin(), right.terms.end(), term) ==
              right.terms.end()) {
            result.Add(term);
          }
        }
        result.intercept = right.intercept != TermList::Intercept::kUnset
                               ? Negated(right.intercept)
                               : left.intercept;
        break;
      case ':':
        result = Interact(left, right);
        break;
      case '*': {
        result = left;
        for (const auto& term : right.terms) result.Add(term);
        for (const auto& term : Interact(left, right).terms) result.Add(term);
        result.intercept = right.intercept != TermList::Intercept::kUnset
                               ? right.intercept
                               : left.intercept;
        break;
      }
      case '/': {
        // a/b is a + a:b, where the a of a:b is every variable of a at once.
        result = left;
        std::vector<int> all;
        for (const auto& term : left.terms) all = Union(all, term);
        TermList whole;
        whole.terms.push_back(all);
        for (const auto& term : Interact(whole, right).terms) {
          result.Add(term);
        }
        break;
      }
      default:
        return Fail(expr, std::string("unexpected '") + op + "'", error);
    }
    *out = std::move(result);
    return true;
  }

  const std::string& text_;
  const std::vector<std::string>* dot_columns_;
};

// Fills the terms, variables, offsets and intercept of *formula from its
// rhs; `dot_columns` replaces `.` when not null.
bool BuildTerms(const std::vector<std::string>* dot_columns, Formula* formula,
                std::string* error) {
  TermExpander expander(formula->text, dot_columns);
  TermList list;
  if (!expander.Expand(formula->rhs, &list, error)) return false;
  formula->intercept = list.intercept != TermList::Intercept::kOff;
  formula->has_dot = expander.has_dot && dot_columns == nullptr;
  formula->offsets = std::move(expander.offsets);
  // R's order: by the number of variables, first appearance within.
  std::stable_sort(list.terms.begin(), list.terms.end(),
                   [](const std::vector<int>& a, const std::vector<int>& b) {
                     return a.size() < b.size();
                   });
  // Keep only the variables that some term uses, renumbered in order.
  std::vector<int> new_index(expander.variables.size(), -1);
  for (const auto& term : list.terms) {
    for (int v : term) new_index[v] = 0;
  }
  formula->variables.clear();
  for (size_t v = 0; v < expander.variables.size(); ++v) {
    if (new_index[v] < 0) continue;
    new_index[v] = static_cast<int>(formula->variables.size());
    formula->variables.push_back(std::move(expander.variables[v]));
  }
  formula->terms.clear();
  for (const auto& term : list.terms) {
    FormulaTerm formula_term;
    for (int v : term) {
      formula_term.variables.push_back(new_index[v]);
      if (!formula_term.label.empty()) formula_term.label += ":";
      formula_term.label += formula->variables[new_index[v]].Label();
    }
    formula->terms.push_back(std::move(formula_term));
  }
  return true;
}

}  // namespace

std::string FormatRNumber(double value) {
  if (value == 0.0) return "0";
  if (!std::isfinite(value)) {
    if (std::isnan(value)) return "NaN";
    return value > 0 ? "Inf" : "-Inf";
  }
  char buffer[64];
  // The fewest significant digits that give the value to 15 digits.
  std::snprintf(buffer, sizeof(buffer), "%.14e", value);
  const double target = std::strtod(buffer, nullptr);
  int digits = 1;
  for (; digits < 15; ++digits) {
    std::snprintf(buffer, sizeof(buffer), "%.*e", digits - 1, value);
    if (std::strtod(buffer, nullptr) == target) break;
  }
  std::snprintf(buffer, sizeof(buffer), "%.*e", digits - 1, value);
  std::string scientific = buffer;
  // %e writes e+05 / e-04: two exponent digits at least, as R.
  const int exponent =
      static_cast<int>(std::floor(std::log10(std::fabs(target))));
  const int decimals = std::max(0, digits - 1 - exponent);
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  std::string fixed = buffer;
  return fixed.size() <= scientific.size() ? fixed : scientific;
}

std::string FormulaExpr::Label() const {
  switch (kind) {
    case Kind::kNumber:
      return FormatRNumber(number);
    case Kind::kSymbol:
      return IsSyntacticName(name) ? name : "`" + name + "`";
    case Kind::kDot:
      return ".";
    case Kind::kCall: {
      std::string label = name + "(";
      for (size_t i = 0; i < args.size(); ++i) {
        label += (i == 0 ? "" : ", ") + args[i].Label();
      }
      return label + ")";
    }
    case Kind::kUnary:
      return std::string(1, op) + args[0].Label();
    case Kind::kBinary: {
      const bool spaced = op == '+' || op == '-' || op == '*' || op == '~';
      const std::string between =
          spaced ? std::string(" ") + op + " " : std::string(1, op);
      return args[0].Label() + between + args[1].Label();
    }
    case Kind::kParen:
      return "(" + args[0].Label() + ")";
  }
  return "";
}

void FormulaExpr::CollectColumns(std::vector<std::string>* columns) const {
  if (kind == Kind::kSymbol) {
    if (std::find(columns->begin(), columns->end(), name) == columns->end()) {
      columns->push_back(name);
    }
    return;
  }
  for (const FormulaExpr& arg : args) arg.CollectColumns(columns);
}

std::vector<std::string> Formula::TermLabels() const {
  std::vector<std::string> labels;
  for (const FormulaTerm& term : terms) labels.push_back(term.label);
  return labels;
}

bool Formula::IsBinomialCounts() const {
  return has_response && response.kind == FormulaExpr::Kind::kCall &&
         response.name == "cbind";
}

bool ParseFormula(std::string_view text, Formula* formula, std::string* error) {
  Formula result;
  result.text = std::string(text);
  Parser parser(result.text);
  if (!parser.Parse(&result.response, &result.rhs, &result.has_response,
                    error)) {
    return false;
  }
  if (result.has_response &&
      !CheckResponse(result.response, result.text, error)) {
    return false;
  }
  if (!BuildTerms(nullptr, &result, error)) return false;
  *formula = std::move(result);
  return true;
}

bool ExpandFormulaDot(const Formula& formula,
                      const std::vector<std::string>& dot_columns,
                      Formula* expanded, std::string* error) {
  Formula result = formula;
  if (formula.has_dot && !BuildTerms(&dot_columns, &result, error)) {
    return false;
  }
  *expanded = std::move(result);
  return true;
}

std::string FormulaTermName(const std::string& column) {
  bool syntactic =
      !column.empty() &&
      (std::isalpha(static_cast<unsigned char>(column[0])) || column[0] == '.');
  for (const char c : column) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_') {
      syntactic = false;
    }
  }
  return syntactic ? column : "`" + column + "`";
}

}  // namespace fisheropt
