// FitMultinomial against nnet::multinom at the MLE (tests/data/r/reference/
// iris_multinom.json and housing_multinom.json, with weights Freq).

#include "stats/multinomial.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "tests/stats/r_reference.h"

namespace fisheropt {
namespace {

class RMultinomialTest : public ::testing::TestWithParam<std::string> {};

TEST_P(RMultinomialTest, MatchesMultinom) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference(GetParam(), &r, &error)) << error;
  SCOPED_TRACE(r.call);
  CsvTable table;
  DataFrame data;
  ASSERT_TRUE(ReadCsvFile(testing::RDataPath(r.data_file), &table, &error) &&
              DataFrameFromCsv(table, &data, &error))
      << error;
  ModelFrameOptions options;
  options.weights_column = r.weights;
  MultinomialFit fit;
  ASSERT_TRUE(FitMultinomial(r.formula, data, options, &fit, &error)) << error;
  EXPECT_EQ(fit.classes, r.classes);
  EXPECT_EQ(fit.column_names, r.coefficient_cols);
  const int p = static_cast<int>(fit.column_names.size());
  ASSERT_EQ(fit.coefficients.size(), r.estimates.size());
  for (int k = 0; k < fit.coefficients.rows(); ++k) {
    for (int j = 0; j < p; ++j) {
      const int at = k * p + j;
      EXPECT_NEAR(fit.coefficients(k, j), r.estimates[at],
                  1e-6 * std::abs(r.estimates[at]))
          << r.names[at];
      EXPECT_NEAR(fit.std_errors(k, j), r.std_errors[at],
                  1e-6 * r.std_errors[at])
          << r.names[at];
    }
  }
  EXPECT_NEAR(fit.deviance, r.deviance, 1e-9 * r.deviance);
  EXPECT_NEAR(fit.log_likelihood, r.loglik, 1e-9 * std::abs(r.loglik));
  EXPECT_NEAR(fit.aic, r.aic, 1e-9 * r.aic);
  EXPECT_NEAR(fit.bic, r.bic, 1e-9 * r.bic);
  EXPECT_EQ(fit.edf, r.edf);
  EXPECT_EQ(fit.num_observations, r.nobs);
  EXPECT_TRUE(fit.converged);
}

INSTANTIATE_TEST_SUITE_P(R, RMultinomialTest,
                         ::testing::Values("iris_multinom", "housing_multinom"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(MultinomialFitTest, BadResponseAndWeightsAreErrors) {
  DataFrame data;
  std::string error;
  ASSERT_TRUE(data.AddTextColumn("y", {"a", "b", "a", "b", "a"}, &error));
  ASSERT_TRUE(data.AddNumericColumn(
      "x", Eigen::VectorXd::LinSpaced(5, 0.0, 1.0), &error));
  ASSERT_TRUE(
      data.AddNumericColumn("w", Eigen::VectorXd::Constant(5, 1.5), &error));
  MultinomialFit fit;
  EXPECT_FALSE(FitMultinomial("z ~ x", data, {}, &fit, &error));
  EXPECT_NE(error.find("'z'"), std::string::npos) << error;
  ModelFrameOptions options;
  options.weights_column = "w";
  EXPECT_FALSE(FitMultinomial("y ~ x", data, options, &fit, &error));
  EXPECT_NE(error.find("whole counts"), std::string::npos) << error;
}

}  // namespace
}  // namespace fisheropt
