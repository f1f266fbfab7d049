#include "tools/compare.h"

#include <gtest/gtest.h>

#include "tools/optimizer_registry.h"

namespace fisheropt {
namespace {

CompareOptions SmallComparison() {
  CompareOptions options;
  options.catalog.logistic_samples = 2000;
  options.catalog.logistic_parameters = 5;
  options.catalog.mvn_samples = 500;
  options.catalog.mvn_dimension = 3;
  options.catalog.probit_samples = 1000;
  options.catalog.probit_parameters = 4;
  options.catalog.poisson_samples = 1000;
  options.catalog.poisson_parameters = 4;
  options.catalog.regression_samples = 500;
  options.catalog.regression_parameters = 4;
  return options;
}

TEST(CompareTest, EveryOptimizerConvergesToTheReferenceOnEveryProblem) {
  ComparisonResult result;
  std::string error;
  ASSERT_TRUE(RunComparison(SmallComparison(), &result, &error)) << error;
  ASSERT_EQ(result.references.size(), 5u);
  EXPECT_EQ(result.references[1].source, "closed form");  // mvn
  EXPECT_EQ(result.references[4].source, "closed form");  // gaussian-regression
  ASSERT_EQ(result.rows.size(), 5 * BuiltinOptimizers().size());
  for (const ComparisonRow& row : result.rows) {
    EXPECT_EQ(row.summary.termination_type, TerminationType::kConvergence)
        << row.problem << " " << row.summary.solver << ": "
        << row.summary.message;
    EXPECT_LT(row.relative_distance, 1e-4)
        << row.problem << " " << row.summary.solver;
    EXPECT_LT(std::abs(row.nll_gap), 1e-8 * row.summary.final_cost)
        << row.problem << " " << row.summary.solver;
  }
  const std::string table = FormatComparison(result);
  EXPECT_NE(table.find("Problem 'logistic'"), std::string::npos);
  EXPECT_NE(table.find("ceres-lbfgs"), std::string::npos);
  EXPECT_NE(table.find("natural-gradient"), std::string::npos);
}

TEST(CompareTest, UnknownNamesListWhatExists) {
  CompareOptions options = SmallComparison();
  options.optimizers = {"adam"};
  ComparisonResult result;
  std::string error;
  EXPECT_FALSE(RunComparison(options, &result, &error));
  EXPECT_EQ(error,
            "unknown optimizer 'adam'; known optimizers: newton fisher-scoring "
            "empirical-fisher monte-carlo-fisher natural-gradient fisher-lm "
            "ceres-lbfgs ceres-bfgs");
  options = SmallComparison();
  options.problems = {"rosenbrock"};
  EXPECT_FALSE(RunComparison(options, &result, &error));
  EXPECT_EQ(error, "unknown problem 'rosenbrock'; known problems: logistic mvn "
            "probit poisson gaussian-regression");
}

}  // namespace
}  // namespace fisheropt
