#include "stats/model_frame.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "optim/newton_solver.h"
#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/csv_reader.h"
#include "problems/glm_model.h"
#include "stats/data_frame.h"
#include "stats/formula.h"

namespace fisheropt {
namespace {

using Names = std::vector<std::string>;
constexpr double kNa = std::numeric_limits<double>::quiet_NaN();

void AddNumbers(DataFrame* frame, const std::string& name,
                std::vector<double> values) {
  std::string error;
  ASSERT_TRUE(frame->AddNumericColumn(
      name, Eigen::Map<Eigen::VectorXd>(values.data(), values.size()), &error))
      << error;
}

void AddText(DataFrame* frame, const std::string& name, Names values,
             std::vector<char> missing = {}) {
  std::string error;
  ASSERT_TRUE(frame->AddTextColumn(name, values, missing, &error)) << error;
}

// A warpbreaks-like frame whose wool and tension are text columns.
DataFrame Breaks() {
  DataFrame frame;
  AddNumbers(&frame, "breaks", {26, 30, 54, 25, 70, 52});
  AddText(&frame, "wool", {"A", "A", "A", "B", "B", "B"});
  AddText(&frame, "tension", {"L", "M", "H", "L", "M", "H"});
  return frame;
}

// R: e <- data.frame(y = c(1, 3, 2, 5, 4, 6), x = c(0.5, 1, 2, 4, 3, 1.5),
//   f = c("b", "a", "c", "a", "b", "c"), cyl = c(10, 9, 10, 8, 9, 10))
DataFrame Small() {
  DataFrame frame;
  AddNumbers(&frame, "y", {1, 3, 2, 5, 4, 6});
  AddNumbers(&frame, "x", {0.5, 1, 2, 4, 3, 1.5});
  AddText(&frame, "f", {"b", "a", "c", "a", "b", "c"});
  AddNumbers(&frame, "cyl", {10, 9, 10, 8, 9, 10});
  return frame;
}

bool Build(const std::string& text, const DataFrame& frame,
           const ModelFrameOptions& options, ModelFrame* model_frame,
           std::string* error) {
  Formula formula;
  if (!ParseFormula(text, &formula, error)) return false;
  return BuildModelFrame(formula, frame, options, model_frame, error);
}

ModelFrame BuildOrFail(const std::string& text, const DataFrame& frame,
                       const ModelFrameOptions& options = {}) {
  ModelFrame model_frame;
  std::string error;
  EXPECT_TRUE(Build(text, frame, options, &model_frame, &error))
      << text << ": " << error;
  return model_frame;
}

std::string ErrorOf(const std::string& text, const DataFrame& frame,
                    const ModelFrameOptions& options = {}) {
  ModelFrame model_frame;
  std::string error;
  EXPECT_FALSE(Build(text, frame, options, &model_frame, &error)) << text;
  return error;
}

RowMatrixXd Matrix(int rows, int columns, std::vector<double> values) {
  return Eigen::Map<RowMatrixXd>(values.data(), rows, columns);
}

Eigen::VectorXd Vector(std::vector<double> values) {
  return Eigen::Map<Eigen::VectorXd>(values.data(), values.size());
}

TEST(ModelFrameTest, TextFactorsInteractWithSortedLevels) {
  // R: d <- data.frame(breaks = c(26, 30, 54, 25, 70, 52),
  //   wool = c("A", "A", "A", "B", "B", "B"),
  //   tension = c("L", "M", "H", "L", "M", "H"))
  //   model.matrix(breaks ~ wool * tension, d)
  // Text columns' levels are sorted: tension is H, L, M.
  const ModelFrame frame = BuildOrFail("breaks ~ wool * tension", Breaks());
  EXPECT_EQ(frame.data.column_names,
            (Names{"(Intercept)", "woolB", "tensionL", "tensionM",
                   "woolB:tensionL", "woolB:tensionM"}));
  EXPECT_EQ(frame.data.x, Matrix(6, 6, {1, 0, 1, 0, 0, 0,  //
                                        1, 0, 0, 1, 0, 0,  //
                                        1, 0, 0, 0, 0, 0,  //
                                        1, 1, 1, 0, 1, 0,  //
                                        1, 1, 0, 1, 0, 1,  //
                                        1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(frame.data.y, Vector({26, 30, 54, 25, 70, 52}));
  EXPECT_EQ(frame.data.response_name, "breaks");
  EXPECT_FALSE(frame.data.HasWeights());
  EXPECT_FALSE(frame.data.HasOffset());
  EXPECT_EQ(frame.variables_used, (Names{"breaks", "wool", "tension"}));
  EXPECT_EQ(frame.DescribeFactors(), "wool: A, B; tension: H, L, M");
  std::string error;
  EXPECT_TRUE(frame.data.IsValid(&error)) << error;
}

// R's warpbreaks written as CSV (write.csv(warpbreaks, row.names = FALSE))
// and read back: wool and tension are text columns, so tension's levels are
// sorted (H, L, M), not the data set's L, M, H. Expected values: d <-
// read.csv("wb.csv"); X <- model.matrix(breaks ~ wool * tension, d);
// crossprod(X) and crossprod(X, d$breaks).
TEST(ModelFrameTest, WarpbreaksFromCsvMatchesR) {
  const double breaks[54] = {
      26, 30, 54, 25, 70, 52, 51, 26, 67, 18, 21, 29, 17, 12, 18, 35, 30, 36,
      36, 21, 24, 18, 10, 43, 28, 15, 26, 27, 14, 29, 19, 29, 31, 41, 20, 44,
      42, 26, 19, 16, 39, 28, 21, 39, 29, 20, 21, 24, 17, 13, 15, 15, 16, 28};
  const char* tensions[3] = {"L", "M", "H"};
  std::string csv = "\"breaks\",\"wool\",\"tension\"\n";
  for (int i = 0; i < 54; ++i) {
    csv += FormatRNumber(breaks[i]) + ",\"" + (i < 27 ? "A" : "B") + "\",\"" +
           tensions[(i % 27) / 9] + "\"\n";
  }
  CsvTable table;
  DataFrame data;
  std::string error;
  ASSERT_TRUE(ParseCsv(csv, &table, &error)) << error;
  ASSERT_TRUE(DataFrameFromCsv(table, &data, &error)) << error;
  const ModelFrame frame = BuildOrFail("breaks ~ wool * tension", data);
  EXPECT_EQ(frame.data.column_names,
            (Names{"(Intercept)", "woolB", "tensionL", "tensionM",
                   "woolB:tensionL", "woolB:tensionM"}));
  const RowMatrixXd gram = frame.data.x.transpose() * frame.data.x;
  EXPECT_EQ(gram, Matrix(6, 6, {54, 27, 18, 18, 9, 9,  //
                                27, 27, 9,  9,  9, 9,  //
                                18, 9,  18, 0,  9, 0,  //
                                18, 9,  0,  18, 0, 9,  //
                                9,  9,  9,  0,  9, 0,  //
                                9,  9,  0,  9,  0, 9}));
  const Eigen::VectorXd xty = frame.data.x.transpose() * frame.data.y;
  EXPECT_EQ(xty, Vector({1520, 682, 655, 475, 254, 259}));
}

// The Dataset of a model frame is what a GLM takes: Fisher scoring on
// breaks ~ wool * tension (Poisson) reproduces R's estimates,
//   coef(glm(breaks ~ wool * tension, poisson, read.csv("wb.csv"))).
TEST(ModelFrameTest, PoissonFitOnTheFrameGivesRsEstimates) {
  const double breaks[54] = {
      26, 30, 54, 25, 70, 52, 51, 26, 67, 18, 21, 29, 17, 12, 18, 35, 30, 36,
      36, 21, 24, 18, 10, 43, 28, 15, 26, 27, 14, 29, 19, 29, 31, 41, 20, 44,
      42, 26, 19, 16, 39, 28, 21, 39, 29, 20, 21, 24, 17, 13, 15, 15, 16, 28};
  const char* tensions[3] = {"L", "M", "H"};
  DataFrame data;
  std::vector<double> counts(breaks, breaks + 54);
  Names wool;
  Names tension;
  for (int i = 0; i < 54; ++i) {
    wool.push_back(i < 27 ? "A" : "B");
    tension.push_back(tensions[(i % 27) / 9]);
  }
  AddNumbers(&data, "breaks", counts);
  AddText(&data, "wool", wool);
  AddText(&data, "tension", tension);
  ModelFrame frame = BuildOrFail("breaks ~ wool * tension", data);
  std::string error;
  std::unique_ptr<GlmModel> model = GlmModel::Create(
      std::move(frame.data), GlmFamilyType::kPoissonLog, &error);
  ASSERT_NE(model, nullptr) << error;
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.step_control = StepControlType::kLineSearch;
  options.stopping.function_tolerance = 1e-14;
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(6);
  SolverSummary summary;
  Solve(options, *model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  const Eigen::VectorXd r_estimates = Vector(
      {3.200938124190503054, -0.268263986603643867, 0.595798725786427008,
       -0.022884293841624749, -0.188363173690408808, 0.449813640618289767});
  for (int j = 0; j < 6; ++j) EXPECT_NEAR(theta[j], r_estimates[j], 1e-8);
}

TEST(ModelFrameTest, NumericTimesFactor) {
  // R: model.matrix(y ~ x * f, e)
  const ModelFrame frame = BuildOrFail("y ~ x * f", Small());
  EXPECT_EQ(frame.data.column_names,
            (Names{"(Intercept)", "x", "fb", "fc", "x:fb", "x:fc"}));
  EXPECT_EQ(frame.data.x, Matrix(6, 6, {1, 0.5, 1, 0, 0.5, 0.0,  //
                                        1, 1.0, 0, 0, 0.0, 0.0,  //
                                        1, 2.0, 0, 1, 0.0, 2.0,  //
                                        1, 4.0, 0, 0, 0.0, 0.0,  //
                                        1, 3.0, 1, 0, 3.0, 0.0,  //
                                        1, 1.5, 0, 1, 0.0, 1.5}));
}

TEST(ModelFrameTest, WithoutInterceptTheFirstFactorGetsEveryLevel) {
  // R: model.matrix(y ~ 0 + f + x, e)
  const ModelFrame frame = BuildOrFail("y ~ 0 + f + x", Small());
  EXPECT_EQ(frame.data.column_names, (Names{"fa", "fb", "fc", "x"}));
  EXPECT_EQ(frame.data.x, Matrix(6, 4, {0, 1, 0, 0.5,  //
                                        1, 0, 0, 1.0,  //
                                        0, 0, 1, 2.0,  //
                                        1, 0, 0, 4.0,  //
                                        0, 1, 0, 3.0,  //
                                        0, 0, 1, 1.5}));
}

TEST(ModelFrameTest, FactorInAnInteractionWithoutItsMainEffect) {
  // R: colnames(model.matrix(~ x:f, e)), colnames(model.matrix(~ f:z + x, e))
  // with z = x, colnames(model.matrix(~ 0 + x + x:f, e)),
  // colnames(model.matrix(y ~ f:factor(cyl), e)) and
  // colnames(model.matrix(y ~ f * factor(cyl), e)).
  EXPECT_EQ(BuildOrFail("y ~ x:f", Small()).data.column_names,
            (Names{"(Intercept)", "x:fa", "x:fb", "x:fc"}));
  EXPECT_EQ(BuildOrFail("y ~ f:cyl + x", Small()).data.column_names,
            (Names{"(Intercept)", "x", "fa:cyl", "fb:cyl", "fc:cyl"}));
  EXPECT_EQ(BuildOrFail("y ~ 0 + x + x:f", Small()).data.column_names,
            (Names{"x", "x:fa", "x:fb", "x:fc"}));
  EXPECT_EQ(BuildOrFail("y ~ f:factor(cyl)", Small()).data.column_names,
            (Names{"(Intercept)", "fa:factor(cyl)8", "fb:factor(cyl)8",
                   "fc:factor(cyl)8", "fa:factor(cyl)9", "fb:factor(cyl)9",
                   "fc:factor(cyl)9", "fa:factor(cyl)10", "fb:factor(cyl)10",
                   "fc:factor(cyl)10"}));
  EXPECT_EQ(BuildOrFail("y ~ f * factor(cyl)", Small()).data.column_names,
            (Names{"(Intercept)", "fb", "fc", "factor(cyl)9", "factor(cyl)10",
                   "fb:factor(cyl)9", "fc:factor(cyl)9", "fb:factor(cyl)10",
                   "fc:factor(cyl)10"}));
  // R: model.matrix(~ x + f:z, e) with z = cyl: f coded by every level.
  const ModelFrame frame = BuildOrFail("y ~ x + f:cyl", Small());
  EXPECT_EQ(frame.data.x.col(2), Vector({0, 9, 0, 8, 0, 0}));    // fa:cyl
  EXPECT_EQ(frame.data.x.col(3), Vector({10, 0, 0, 0, 9, 0}));   // fb:cyl
  EXPECT_EQ(frame.data.x.col(4), Vector({0, 0, 10, 0, 0, 10}));  // fc:cyl
}

// Column names and a checksum of model.matrix for formulas that exercise
// R's coding of factors (contrasts or a dummy per level, by TermCode and the
// no-intercept rule), products, nesting, powers, `.` and the numeric
// functions. The data frame is
//   d <- data.frame(y = 1:12,
//     x = c(0.5, 1, 2, 4, 3, 1.5, 2.5, 3.5, 1, 2, 6, 5),
//     f = c("b","a","c","a","b","c","a","b","c","c","a","b"),
//     g = c("u","u","v","v","w","w","u","v","w","u","v","w"),
//     h = c("p","q","p","q","p","q","q","p","q","p","q","p"),
//     z = c(3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 1))
// and each line of the table is R's
//   m <- model.matrix(formula, d)
//   paste(colnames(m), collapse = " "); format(sum(m * seq_along(m)), digits =
//   15)
// (the checksum weights entry (i, j) by its column-major position, so a
// moved or wrong entry changes it).
struct RModelMatrix {
  const char* formula;
  const char* names;
  double checksum;
};

const RModelMatrix kRModelMatrices[] = {
    {"y ~ f*g", "(Intercept) fb fc gv gw fb:gv fc:gv fb:gw fc:gw", 1205},
    {"y ~ 0 + f:g", "fa:gu fb:gu fc:gu fa:gv fb:gv fc:gv fa:gw fb:gw fc:gw",
     654},
    {"y ~ f + f:g", "(Intercept) fb fc fa:gv fb:gv fc:gv fa:gw fb:gw fc:gw",
     874},
    {"y ~ g + f:g", "(Intercept) gv gw gu:fb gv:fb gw:fb gu:fc gv:fc gw:fc",
     886},
    {"y ~ f:g",
     "(Intercept) fa:gu fb:gu fc:gu fa:gv fb:gv fc:gv fa:gw fb:gw fc:gw", 876},
    {"y ~ x + f:x", "(Intercept) x x:fb x:fc", 1380.5},
    {"y ~ 0 + x:f + g", "gu gv gw x:fa x:fb x:fc", 1923},
    {"y ~ f*g*h",
     "(Intercept) fb fc gv gw hq fb:gv fc:gv fb:gw fc:gw fb:hq fc:hq gv:hq "
     "gw:hq fb:gv:hq fc:gv:hq fb:gw:hq fc:gw:hq",
     3008},
    {"y ~ f*g*h - f:g",
     "(Intercept) fb fc gv gw hq fb:hq fc:hq gv:hq gw:hq fb:gv:hp fc:gv:hp "
     "fb:gw:hp fc:gw:hp fb:gv:hq fc:gv:hq fb:gw:hq fc:gw:hq",
     2681},
    {"y ~ 0 + f*g", "fa fb fc gv gw fb:gv fc:gv fb:gw fc:gw", 1151},
    {"y ~ f:g:h + f",
     "(Intercept) fb fc fa:gu:hp fb:gu:hp fc:gu:hp fa:gv:hp fb:gv:hp fc:gv:hp "
     "fa:gw:hp fb:gw:hp fc:gw:hp fa:gu:hq fb:gu:hq fc:gu:hq fa:gv:hq fb:gv:hq "
     "fc:gv:hq fa:gw:hq fb:gw:hq fc:gw:hq",
     2010},
    {"y ~ x*f*g",
     "(Intercept) x fb fc gv gw x:fb x:fc x:gv x:gw fb:gv fc:gv fb:gw fc:gw "
     "x:fb:gv x:fc:gv x:fb:gw x:fc:gw",
     9899.5},
    {"y ~ (f + g + x)^2",
     "(Intercept) fb fc gv gw x fb:gv fc:gv fb:gw fc:gw fb:x fc:x gv:x gw:x",
     9970.5},
    {"y ~ f/g", "(Intercept) fb fc fa:gv fb:gv fc:gv fa:gw fb:gw fc:gw", 874},
    {"y ~ 0 + f/x", "fa fb fc fa:x fb:x fc:x", 1923},
    {"y ~ x:f:g + g",
     "(Intercept) gv gw x:fa:gu x:fb:gu x:fc:gu x:fa:gv x:fb:gv x:fc:gv "
     "x:fa:gw x:fb:gw x:fc:gw",
     3295},
    {"y ~ log(x)*f - 1", "log(x) fa fb fc log(x):fb log(x):fc",
     753.180056268359},
    {"y ~ f:x + g:x + f:g",
     "(Intercept) fa:x fb:x fc:x x:gv x:gw fb:gv fc:gv fb:gw fc:gw", 3201},
    {"y ~ factor(z)*f",
     "(Intercept) factor(z)2 factor(z)3 fb fc factor(z)2:fb factor(z)3:fb "
     "factor(z)2:fc factor(z)3:fc",
     1112},
    {"y ~ . - h", "(Intercept) x fb fc gv gw z", 3374},
    {"y ~ .^2",
     "(Intercept) x fb fc gv gw hq z x:fb x:fc x:gv x:gw x:hq x:z fb:gv fc:gv "
     "fb:gw fc:gw fb:hq fc:hq fb:z fc:z gv:hq gw:hq gv:z gw:z hq:z",
     36806},
    {"y ~ x + I(x^2) + exp(x/4) + sqrt(z) + abs(x - 3) + log10(z) + log2(x)",
     "(Intercept) x I(x^2) exp(x/4) sqrt(z) abs(x - 3) log10(z) log2(x)",
     9153.13186042331},
};

DataFrame Catalog() {
  DataFrame frame;
  AddNumbers(&frame, "y", {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  AddNumbers(&frame, "x", {0.5, 1, 2, 4, 3, 1.5, 2.5, 3.5, 1, 2, 6, 5});
  AddText(&frame, "f",
          {"b", "a", "c", "a", "b", "c", "a", "b", "c", "c", "a", "b"});
  AddText(&frame, "g",
          {"u", "u", "v", "v", "w", "w", "u", "v", "w", "u", "v", "w"});
  AddText(&frame, "h",
          {"p", "q", "p", "q", "p", "q", "q", "p", "q", "p", "q", "p"});
  AddNumbers(&frame, "z", {3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 2, 1});
  return frame;
}

TEST(ModelFrameTest, MatchesRsModelMatrix) {
  const DataFrame data = Catalog();
  for (const RModelMatrix& expected : kRModelMatrices) {
    const ModelFrame frame = BuildOrFail(expected.formula, data);
    std::string names;
    for (const std::string& name : frame.data.column_names) {
      names += (names.empty() ? "" : " ") + name;
    }
    EXPECT_EQ(names, expected.names) << expected.formula;
    const RowMatrixXd& x = frame.data.x;
    double checksum = 0.0;
    for (Eigen::Index j = 0; j < x.cols(); ++j) {
      for (Eigen::Index i = 0; i < x.rows(); ++i) {
        checksum += x(i, j) * static_cast<double>(j * x.rows() + i + 1);
      }
    }
    EXPECT_NEAR(checksum, expected.checksum, 1e-12 * expected.checksum)
        << expected.formula;
  }
}

TEST(ModelFrameTest, FactorOfNumbersLogAndSquare) {
  // R: model.matrix(y ~ factor(cyl) + log(x) + I(x^2), e); levels of
  // factor(cyl) are in numeric order (8, 9, 10), not text order.
  const ModelFrame frame =
      BuildOrFail("y ~ factor(cyl) + log(x) + I(x^2)", Small());
  EXPECT_EQ(frame.data.column_names,
            (Names{"(Intercept)", "factor(cyl)9", "factor(cyl)10", "log(x)",
                   "I(x^2)"}));
  ASSERT_EQ(frame.data.x.rows(), 6);
  EXPECT_EQ(frame.data.x.col(1), Vector({0, 1, 0, 0, 1, 0}));
  EXPECT_EQ(frame.data.x.col(2), Vector({1, 0, 1, 0, 0, 1}));
  const Eigen::VectorXd log_x =
      Vector({-0.69314718055994529, 0.0, 0.69314718055994529,
              1.38629436111989057, 1.09861228866810978, 0.40546510810816438});
  for (int i = 0; i < 6; ++i) {
    EXPECT_NEAR(frame.data.x(i, 3), log_x[i], 1e-15);
  }
  EXPECT_EQ(frame.data.x.col(4), Vector({0.25, 1, 4, 16, 9, 2.25}));
  EXPECT_EQ(frame.variables_used, (Names{"y", "cyl", "x"}));
  EXPECT_EQ(frame.variables[0].levels, (Names{"8", "9", "10"}));
}

// R: g <- data.frame(s = c(3, 0, 5, 2), fl = c(1, 0, 5, 8), x = 1:4,
//   n = c(10, 20, 30, 40), w = c(1, 2, 1, 0.5))
DataFrame Counts() {
  DataFrame frame;
  AddNumbers(&frame, "s", {3, 0, 5, 2});
  AddNumbers(&frame, "fl", {1, 0, 5, 8});
  AddNumbers(&frame, "x", {1, 2, 3, 4});
  AddNumbers(&frame, "n", {10, 20, 30, 40});
  AddNumbers(&frame, "w", {1, 2, 1, 0.5});
  return frame;
}

TEST(ModelFrameTest, BinomialCountsGiveProportionsAndTotals) {
  // R: fit <- glm(cbind(s, fl) ~ x, family = binomial, data = g,
  //   weights = w); fit$y is 0.75 0 0.5 0.2, fit$prior.weights 4 0 10 5.
  ModelFrameOptions options;
  options.weights_column = "w";
  const ModelFrame frame = BuildOrFail("cbind(s, fl) ~ x", Counts(), options);
  EXPECT_EQ(frame.data.response_name, "cbind(s, fl)");
  EXPECT_EQ(frame.data.y, Vector({0.75, 0, 0.5, 0.2}));
  EXPECT_EQ(frame.data.weights, Vector({4, 0, 10, 5}));
  EXPECT_EQ(frame.variables_used, (Names{"s", "fl", "x", "w"}));
  const ModelFrame unweighted = BuildOrFail("cbind(s, fl) ~ x", Counts());
  EXPECT_EQ(unweighted.data.weights, Vector({4, 0, 10, 10}));
}

TEST(ModelFrameTest, BadCountsAreErrors) {
  DataFrame frame = Counts();
  AddNumbers(&frame, "half", {1, 0.5, 2, 3});
  AddNumbers(&frame, "negative", {1, 2, -1, 3});
  EXPECT_EQ(ErrorOf("cbind(s, half) ~ x", frame),
            "'cbind(s, half)': 'half' is 0.5 at row 2; counts must be whole "
            "numbers >= 0");
  EXPECT_EQ(ErrorOf("cbind(negative, s) ~ x", frame),
            "'cbind(negative, s)': 'negative' is -1 at row 3; counts must be "
            "whole numbers >= 0");
}

TEST(ModelFrameTest, OffsetsAddUp) {
  // R: model.offset(model.frame(cbind(s, fl) ~ x + offset(log(n)), g)) is
  // log(n); the offset column adds to it.
  ModelFrameOptions options;
  options.offset_column = "x";
  const ModelFrame frame =
      BuildOrFail("s ~ w + offset(log(n))", Counts(), options);
  ASSERT_EQ(frame.data.offset.size(), 4);
  for (int i = 0; i < 4; ++i) {
    EXPECT_DOUBLE_EQ(frame.data.offset[i], std::log(10.0 * (i + 1)) + i + 1);
  }
  EXPECT_EQ(frame.data.column_names, (Names{"(Intercept)", "w"}));
  EXPECT_EQ(frame.variables_used, (Names{"s", "w", "n", "x"}));
}

TEST(ModelFrameTest, WeightsAreCheckedAndMissingRowsNamed) {
  DataFrame frame = Counts();
  AddNumbers(&frame, "bad", {1, -2, 1, 1});
  AddNumbers(&frame, "holes", {1, 1, kNa, 1});
  ModelFrameOptions options;
  options.weights_column = "bad";
  EXPECT_EQ(ErrorOf("s ~ x", frame, options),
            "the weights column 'bad' is -2 at row 2; weights must be >= 0");
  options.weights_column = "holes";
  EXPECT_EQ(ErrorOf("s ~ x", frame, options),
            "column 'holes' is missing at row 3 (drop_incomplete_rows drops "
            "such rows, as R's na.omit)");
  options.drop_incomplete_rows = true;
  const ModelFrame dropped = BuildOrFail("s ~ x", frame, options);
  EXPECT_EQ(dropped.rows_dropped, 1);
  EXPECT_EQ(dropped.rows_used, (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(dropped.data.weights, Vector({1, 1, 1}));
  EXPECT_EQ(dropped.data.y, Vector({3, 0, 2}));
}

TEST(ModelFrameTest, DroppedRowsDropTheirLevels) {
  // R's glm drops unused levels (model.frame(drop.unused.levels = TRUE)):
  // with row 3 (the only "c") dropped, f has levels a, b.
  DataFrame frame;
  AddNumbers(&frame, "y", {1, 2, 3, 4, 5});
  AddNumbers(&frame, "x", {1, 2, kNa, 4, 5});
  AddText(&frame, "f", {"a", "b", "c", "a", "zz"}, {0, 0, 0, 0, 1});
  EXPECT_EQ(ErrorOf("y ~ x + f", frame),
            "column 'x' is missing at row 3 (drop_incomplete_rows drops such "
            "rows, as R's na.omit)");
  ModelFrameOptions options;
  options.drop_incomplete_rows = true;
  const ModelFrame model_frame = BuildOrFail("y ~ x + f", frame, options);
  EXPECT_EQ(model_frame.rows_dropped, 2);
  EXPECT_EQ(model_frame.data.column_names, (Names{"(Intercept)", "x", "fb"}));
  EXPECT_EQ(model_frame.data.x, Matrix(3, 3,
                                       {1, 1, 0,  //
                                        1, 2, 1,  //
                                        1, 4, 0}));
}

TEST(ModelFrameTest, DotIsEveryOtherColumn) {
  ModelFrameOptions options;
  options.weights_column = "w";
  const ModelFrame frame = BuildOrFail("log(s + 1) ~ .", Counts(), options);
  EXPECT_EQ(frame.data.column_names, (Names{"(Intercept)", "fl", "x", "n"}));
  EXPECT_EQ(frame.data.response_name, "log(s + 1)");
  EXPECT_DOUBLE_EQ(frame.data.y[0], std::log(4.0));
}

TEST(ModelFrameTest, ErrorsNameColumnsAndLines) {
  EXPECT_EQ(ErrorOf("y ~ x + nope", Small()),
            "unknown column 'nope'; columns: y, x, f, cyl");
  EXPECT_EQ(ErrorOf("y ~ log(f)", Small()),
            "column 'f' holds text, but 'log(f)' needs numbers");
  EXPECT_EQ(ErrorOf("y ~ log(x - 1)", Small()), "'log(x - 1)' is NaN at row 1");
  EXPECT_EQ(ErrorOf("y ~ I(1/(x - 1))", Small()),
            "'I(1/(x - 1))' is Inf at row 2");
  EXPECT_EQ(ErrorOf("~ x", Small()), "the formula '~ x' has no response");
  EXPECT_EQ(ErrorOf("f ~ x", Small()),
            "column 'f' holds text, but 'f' needs numbers");
  ModelFrameOptions text_weights;
  text_weights.weights_column = "f";
  EXPECT_EQ(ErrorOf("y ~ x", Small(), text_weights),
            "the weights column 'f' holds text; it must hold numbers");
  ModelFrameOptions text_offset;
  text_offset.offset_column = "f";
  EXPECT_EQ(ErrorOf("y ~ x", Small(), text_offset),
            "the offset column 'f' holds text; it must hold numbers");
  EXPECT_EQ(ErrorOf("y ~ y + x", Small()),
            "the response 'y' is also a term of 'y ~ y + x'");
  DataFrame one_level;
  AddNumbers(&one_level, "y", {1, 2});
  AddText(&one_level, "g", {"a", "a"});
  EXPECT_EQ(ErrorOf("y ~ g", one_level),
            "factor 'g' has only one level ('a') in the rows used; contrasts "
            "need two or more");
}

TEST(ModelFrameTest, PredictionCodesNewDataAsTheFit) {
  const ModelFrame fitted =
      BuildOrFail("y ~ x * f + factor(cyl) + offset(log(x))", Small());
  RowMatrixXd x;
  Eigen::VectorXd offset;
  std::string error;
  ASSERT_TRUE(BuildPredictionDesign(fitted, Small(), &x, &offset, &error))
      << error;
  EXPECT_EQ(x, fitted.data.x);
  EXPECT_EQ(offset, fitted.data.offset);

  DataFrame newdata;
  AddNumbers(&newdata, "x", {2, 3});
  AddText(&newdata, "f", {"c", "a"});
  AddNumbers(&newdata, "cyl", {8, 10});
  ASSERT_TRUE(BuildPredictionDesign(fitted, newdata, &x, &offset, &error))
      << error;
  // (Intercept) x fb fc factor(cyl)9 factor(cyl)10 x:fb x:fc
  EXPECT_EQ(x, Matrix(2, 8,
                      {1, 2, 0, 1, 0, 0, 0, 2,  //
                       1, 3, 0, 0, 0, 1, 0, 0}));
  EXPECT_DOUBLE_EQ(offset[1], std::log(3.0));

  DataFrame unseen;
  AddNumbers(&unseen, "x", {2, 3});
  AddText(&unseen, "f", {"a", "d"});
  AddNumbers(&unseen, "cyl", {8, 10});
  EXPECT_FALSE(BuildPredictionDesign(fitted, unseen, &x, &offset, &error));
  EXPECT_EQ(error,
            "new data: factor 'f' has level 'd' at row 2, which the fit "
            "never saw (levels: a, b, c)");
  DataFrame unseen_number;
  AddNumbers(&unseen_number, "x", {2});
  AddText(&unseen_number, "f", {"a"});
  AddNumbers(&unseen_number, "cyl", {12});
  EXPECT_FALSE(
      BuildPredictionDesign(fitted, unseen_number, &x, &offset, &error));
  EXPECT_EQ(error,
            "new data: factor 'factor(cyl)' has level '12' at row 1, which "
            "the fit never saw (levels: 8, 9, 10)");
  DataFrame missing_column;
  AddNumbers(&missing_column, "x", {2});
  EXPECT_FALSE(
      BuildPredictionDesign(fitted, missing_column, &x, &offset, &error));
  EXPECT_EQ(error, "unknown column 'f'; columns: x");
}

// Random token sequences: every formula parses or fails with a message, and
// every model frame built from one is consistent (run under the sanitizers
// by scripts/test, where a bad index or overflow aborts).
TEST(ModelFrameTest, RandomFormulasNeverCrash) {
  const char* tokens[] = {
      "y",  "x",       "f",      "cyl", "~", "+",   "-",    "*",
      "/",  "^",       ":",      "(",   ")", ",",   "log(", "factor(",
      "I(", "offset(", "cbind(", "0",   "1", "2",   ".",    "`x`",
      " ",  "sqrt(",   "1e400",  "%",   "$", "exp("};
  const int num_tokens = sizeof(tokens) / sizeof(tokens[0]);
  const char* operands[] = {"x",           "f",         "cyl",       "log(x)",
                            "factor(cyl)", "I(x^2)",    "offset(x)", ".",
                            "(x + f)",     "1",         "0",         "`x`",
                            "-1",          "sqrt(cyl)", "factor(f)", "(f*cyl)"};
  const int num_operands = sizeof(operands) / sizeof(operands[0]);
  const char* operators[] = {" + ", " - ", "*", ":", "/", "^2 + "};
  const int num_operators = sizeof(operators) / sizeof(operators[0]);
  std::mt19937_64 random(20261206);
  const DataFrame data = Small();
  int frames_built = 0;
  for (int trial = 0; trial < 4000; ++trial) {
    // Odd trials are any tokens; even ones alternate operands and
    // operators after "y ~ ", so that many reach the model frame.
    std::string text;
    const int length = 1 + static_cast<int>(random() % 14);
    if (trial % 2 == 1) {
      for (int t = 0; t < length; ++t) text += tokens[random() % num_tokens];
    } else {
      text = "y ~ ";
      for (int t = 0; t < length; ++t) {
        text += t % 2 == 0 ? operands[random() % num_operands]
                           : operators[random() % num_operators];
      }
    }
    Formula formula;
    std::string error;
    if (!ParseFormula(text, &formula, &error)) {
      EXPECT_EQ(error.rfind("formula: ", 0), 0u) << text << ": " << error;
      continue;
    }
    ModelFrameOptions options;
    options.drop_incomplete_rows = trial % 4 == 0;
    ModelFrame frame;
    if (!BuildModelFrame(formula, data, options, &frame, &error)) {
      EXPECT_FALSE(error.empty()) << text;
      continue;
    }
    ++frames_built;
    ASSERT_EQ(frame.data.x.cols(),
              static_cast<Eigen::Index>(frame.data.column_names.size()))
        << text;
    ASSERT_EQ(frame.data.y.size(), frame.data.x.rows()) << text;
    RowMatrixXd x;
    Eigen::VectorXd offset;
    ASSERT_TRUE(BuildPredictionDesign(frame, data, &x, &offset, &error))
        << text << ": " << error;
    EXPECT_EQ(x, frame.data.x) << text;
  }
  EXPECT_GT(frames_built, 500);
}

TEST(ModelFrameTest, LongArithmeticChainsEvaluate) {
  std::string text = "y ~ I(x";
  for (int i = 0; i < 1500; ++i) text += " + x";
  text += ")";
  const ModelFrame frame = BuildOrFail(text, Small());
  ASSERT_EQ(frame.data.x.cols(), 2);
  EXPECT_EQ(frame.data.x(0, 1), 1501 * 0.5);
}

}  // namespace
}  // namespace fisheropt
