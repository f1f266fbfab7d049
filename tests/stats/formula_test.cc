#include "stats/formula.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace fisheropt {
namespace {

using Labels = std::vector<std::string>;

Formula Parse(const std::string& text) {
  Formula formula;
  std::string error;
  EXPECT_TRUE(ParseFormula(text, &formula, &error)) << text << ": " << error;
  return formula;
}

Labels TermsOf(const std::string& text) { return Parse(text).TermLabels(); }

std::string ErrorOf(const std::string& text) {
  Formula formula;
  std::string error;
  EXPECT_FALSE(ParseFormula(text, &formula, &error)) << text;
  return error;
}

// Expected labels: attr(terms(<formula>), "term.labels") in R 4.
TEST(FormulaTest, ExpandsProductsInRsOrder) {
  EXPECT_EQ(TermsOf("y ~ a*b*c"),
            (Labels{"a", "b", "c", "a:b", "a:c", "b:c", "a:b:c"}));
  EXPECT_EQ(TermsOf("y ~ (a + b)*c"), (Labels{"a", "b", "c", "a:c", "b:c"}));
  EXPECT_EQ(TermsOf("y ~ a*b"), (Labels{"a", "b", "a:b"}));
  EXPECT_EQ(TermsOf("y ~ (a + b + c)^2"),
            (Labels{"a", "b", "c", "a:b", "a:c", "b:c"}));
  EXPECT_EQ(TermsOf("y ~ a/b/c"), (Labels{"a", "a:b", "a:b:c"}));
}

TEST(FormulaTest, OrdersByInteractionOrderThenAppearance) {
  // R: terms(y ~ a:b + c) gives c, a:b; a:b is b:a and a variable's number
  // is its first appearance, so y ~ b:a + a:b + a gives a, b:a.
  EXPECT_EQ(TermsOf("y ~ a:b + c"), (Labels{"c", "a:b"}));
  EXPECT_EQ(TermsOf("y ~ b:a + a:b + a"), (Labels{"a", "b:a"}));
  EXPECT_EQ(TermsOf("y ~ a + b + a"), (Labels{"a", "b"}));
  EXPECT_EQ(TermsOf("y ~ log(x) + I(x^2) + factor(cyl) + x:factor(cyl)"),
            (Labels{"log(x)", "I(x^2)", "factor(cyl)", "factor(cyl):x"}));
}

TEST(FormulaTest, RemovesTerms) {
  EXPECT_EQ(TermsOf("y ~ a*b*c - a:b:c"),
            (Labels{"a", "b", "c", "a:b", "a:c", "b:c"}));
  EXPECT_EQ(TermsOf("y ~ a*b - a"), (Labels{"b", "a:b"}));
  EXPECT_EQ(TermsOf("y ~ (a + b + c)^2 - b:c"),
            (Labels{"a", "b", "c", "a:b", "a:c"}));
  EXPECT_EQ(TermsOf("y ~ a*b - b:a"), (Labels{"a", "b"}));
}

TEST(FormulaTest, InterceptRules) {
  EXPECT_TRUE(Parse("y ~ x").intercept);
  EXPECT_FALSE(Parse("y ~ x - 1").intercept);
  EXPECT_FALSE(Parse("y ~ -1 + x").intercept);
  EXPECT_FALSE(Parse("y ~ 0 + x").intercept);
  EXPECT_FALSE(Parse("y ~ x + 0").intercept);
  EXPECT_TRUE(Parse("y ~ -1 + x + 1").intercept);
  EXPECT_TRUE(Parse("y ~ 1").intercept);
  EXPECT_TRUE(Parse("y ~ 1").terms.empty());
  EXPECT_FALSE(Parse("y ~ 0").intercept);
}

TEST(FormulaTest, LabelsAsRDeparses) {
  // R: attr(terms(y ~ I(x*2) + I(x/2) + I(x^2) + I(-x) + log(x+1) +
  //   I((x+1)^2) + I(x - 1e-10) + I(2.50*x) + I(1e5*x)), "term.labels")
  EXPECT_EQ(
      TermsOf("y ~ I(x*2) + I(x/2) + I(x^2) + I(-x) + log(x+1) + "
              "I((x+1)^2) + I(x - 1e-10) + I(2.50*x) + I(1e5*x)"),
      (Labels{"I(x * 2)", "I(x/2)", "I(x^2)", "I(-x)", "log(x + 1)",
              "I((x + 1)^2)", "I(x - 1e-10)", "I(2.5 * x)", "I(1e+05 * x)"}));
  EXPECT_EQ(TermsOf("log(y) ~ exp(x) + sqrt(x + 1) + I(1/x) + I((x - 2)^2)"),
            (Labels{"exp(x)", "sqrt(x + 1)", "I(1/x)", "I((x - 2)^2)"}));
  EXPECT_EQ(TermsOf("y ~ x + `a b`"), (Labels{"x", "`a b`"}));
  EXPECT_EQ(Parse("log(y) ~ x").response.Label(), "log(y)");
}

TEST(FormulaTest, FormatsNumbersAsR) {
  // R: as.character(c(1e5, 1e4, 0.1, 1/3, 123456789012, 1e-5, 0.0001, 2.5))
  EXPECT_EQ(FormatRNumber(1e5), "1e+05");
  EXPECT_EQ(FormatRNumber(1e4), "10000");
  EXPECT_EQ(FormatRNumber(0.1), "0.1");
  EXPECT_EQ(FormatRNumber(1.0 / 3.0), "0.333333333333333");
  EXPECT_EQ(FormatRNumber(123456789012.0), "123456789012");
  EXPECT_EQ(FormatRNumber(1e-5), "1e-05");
  EXPECT_EQ(FormatRNumber(0.0001), "1e-04");
  EXPECT_EQ(FormatRNumber(2.5), "2.5");
  EXPECT_EQ(FormatRNumber(-4), "-4");
  EXPECT_EQ(FormatRNumber(0), "0");
}

TEST(FormulaTest, OffsetsAreNotTerms) {
  const Formula formula = Parse("y ~ a + offset(log(n)) + b");
  EXPECT_EQ(formula.TermLabels(), (Labels{"a", "b"}));
  ASSERT_EQ(formula.offsets.size(), 1u);
  EXPECT_EQ(formula.offsets[0].Label(), "log(n)");
  ASSERT_EQ(formula.variables.size(), 2u);
}

TEST(FormulaTest, BinomialCountsResponse) {
  const Formula formula = Parse("cbind(s, f) ~ x");
  EXPECT_TRUE(formula.IsBinomialCounts());
  EXPECT_EQ(formula.response.Label(), "cbind(s, f)");
  EXPECT_FALSE(Parse("s ~ x").IsBinomialCounts());
}

TEST(FormulaTest, DotIsExpandedWithTheDataColumns) {
  // R: d <- data.frame(y = 1:6, x = 1:6, z = 1:6, f = letters[1:6]);
  // attr(terms(y ~ . + log(x), data = d), "term.labels") is x z f log(x).
  const Formula formula = Parse("y ~ . + log(x)");
  EXPECT_TRUE(formula.has_dot);
  EXPECT_EQ(formula.TermLabels(), (Labels{".", "log(x)"}));
  Formula expanded;
  std::string error;
  ASSERT_TRUE(ExpandFormulaDot(formula, {"x", "z", "f"}, &expanded, &error))
      << error;
  EXPECT_FALSE(expanded.has_dot);
  EXPECT_EQ(expanded.TermLabels(), (Labels{"x", "z", "f", "log(x)"}));
  ASSERT_TRUE(ExpandFormulaDot(Parse("y ~ log(x) + . - z"), {"x", "z", "f"},
                               &expanded, &error))
      << error;
  EXPECT_EQ(expanded.TermLabels(), (Labels{"log(x)", "x", "f"}));
}

TEST(FormulaTest, ErrorsNameThePosition) {
  EXPECT_EQ(ErrorOf("y ~ a + )"),
            "formula: unexpected ')' at character 9 of 'y ~ a + )'");
  EXPECT_EQ(ErrorOf("y ~ a +"),
            "formula: unexpected end at character 8 of 'y ~ a +'");
  EXPECT_EQ(ErrorOf("y ~ (a + b"),
            "formula: unexpected end at character 11 of 'y ~ (a + b'");
  EXPECT_EQ(ErrorOf("y ~ a $ b"),
            "formula: unexpected '$' at character 7 of 'y ~ a $ b'");
  EXPECT_EQ(ErrorOf("y a"), "formula: unexpected 'a' at character 3 of 'y a'");
  EXPECT_EQ(ErrorOf(""), "formula: an empty formula at character 1 of ''");
  EXPECT_EQ(ErrorOf("y ~ foo(x)"),
            "formula: unknown function 'foo' (known: factor, I, offset, "
            "cbind, log, exp, sqrt, log2, log10, abs) at character 5 of "
            "'y ~ foo(x)'");
  EXPECT_EQ(ErrorOf("y ~ log(factor(x))"),
            "formula: factor() inside an expression at character 9 of "
            "'y ~ log(factor(x))'");
  EXPECT_EQ(ErrorOf("y ~ a:offset(n)"),
            "formula: offset() inside an interaction at character 7 of "
            "'y ~ a:offset(n)'");
  EXPECT_EQ(ErrorOf("y ~ a + 2"),
            "formula: invalid term '2' (only 0 and 1 stand alone) at "
            "character 9 of 'y ~ a + 2'");
  EXPECT_EQ(ErrorOf("y ~ cbind(a, b)"),
            "formula: cbind() outside the response at character 5 of "
            "'y ~ cbind(a, b)'");
  EXPECT_EQ(ErrorOf("cbind(a) ~ x"),
            "formula: cbind() takes two arguments (successes, failures) at "
            "character 1 of 'cbind(a) ~ x'");
  EXPECT_EQ(ErrorOf("y ~ log(x, 2)"),
            "formula: log() takes one argument, not 2 at character 5 of "
            "'y ~ log(x, 2)'");
  EXPECT_EQ(ErrorOf("y ~ a ~ b"),
            "formula: unexpected '~' at character 7 of 'y ~ a ~ b'");
  EXPECT_EQ(ErrorOf("y ~ `a"),
            "formula: unterminated ` name at character 5 of 'y ~ `a'");
  EXPECT_EQ(ErrorOf("y ~ 1.2.3"),
            "formula: malformed number '1.2.3' at character 5 of 'y ~ 1.2.3'");
}

TEST(FormulaTest, DeepOrLongInputIsAnErrorNotACrash) {
  const std::string deep =
      "y ~ " + std::string(1000, '(') + "x" + std::string(1000, ')');
  EXPECT_NE(ErrorOf(deep).find("nested too deeply"), std::string::npos);
  std::string wide = "y ~ x";
  for (int i = 0; i < 5000; ++i) wide += " + x";
  EXPECT_NE(ErrorOf(wide).find("tokens"), std::string::npos);
}

// R's make.names rule: syntactic names stay, others are backquoted.
TEST(FormulaTermNameTest, BackquotesNonSyntacticNames) {
  EXPECT_EQ(FormulaTermName("x1"), "x1");
  EXPECT_EQ(FormulaTermName(".a_b.c"), ".a_b.c");
  EXPECT_EQ(FormulaTermName("log dose"), "`log dose`");
  EXPECT_EQ(FormulaTermName("1x"), "`1x`");
  EXPECT_EQ(FormulaTermName("a-b"), "`a-b`");
}

}  // namespace
}  // namespace fisheropt
