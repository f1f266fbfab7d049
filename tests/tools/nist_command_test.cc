#include "tools/nist_command.h"

#include <cmath>
#include <limits>

#include <gtest/gtest.h>

#include "tests/problems/nist_test_utilities.h"

namespace fisheropt {
namespace {

TEST(NistCommandTest, LogRelativeErrorIsClampedAsCeresDoes) {
  EXPECT_EQ(LogRelativeError(2.5, 2.5), 11.0);  // exact: the cap
  EXPECT_NEAR(LogRelativeError(1.00001, 1.0), 5.0, 1e-6);
  EXPECT_NEAR(LogRelativeError(-2.0002, -2.0), 4.0, 1e-6);
  EXPECT_EQ(LogRelativeError(30.0, 1.0), 0.0);  // off by 29x: floor 0
  EXPECT_EQ(LogRelativeError(std::numeric_limits<double>::quiet_NaN(), 1.0),
            0.0);
  EXPECT_EQ(LogRelativeError(std::numeric_limits<double>::infinity(), 1.0),
            0.0);
}

// End to end on three easy problems: every optimizer of the benchmark
// solves both starts (all parameters to >= 4 digits, in fact to >= 6).
TEST(NistCommandTest, EveryOptimizerSolvesThreeEasyProblems) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistBenchmarkOptions options;
  options.directory = testing::NistDirectory();
  options.problems = {"Misra1a", "Chwirut2", "DanWood"};
  NistBenchmarkResult result;
  std::string error;
  ASSERT_TRUE(RunNistBenchmark(options, &result, &error)) << error;
  ASSERT_EQ(result.optimizers, NistDefaultOptimizers());
  ASSERT_EQ(result.runs.size(), 3u * 2u * 5u);
  for (const NistRun& run : result.runs) {
    EXPECT_TRUE(run.solved) << run.problem << " start " << run.start << " "
                            << run.optimizer << " min LRE " << run.min_lre;
    EXPECT_GE(run.min_lre, 6.0) << run.problem << " " << run.optimizer;
  }
  ASSERT_EQ(result.totals.size(), 5u);
  for (const NistOptimizerTotals& totals : result.totals) {
    EXPECT_EQ(totals.runs, 6) << totals.optimizer;
    EXPECT_EQ(totals.solved, 6) << totals.optimizer;
  }
  const std::string text = FormatNistBenchmark(result);
  EXPECT_NE(text.find("Problem Chwirut2 (lower difficulty): 3 parameters, "
                      "54 observations"),
            std::string::npos)
      << text;
  const std::string totals = FormatNistTotals(result);
  int full_marks = 0;
  for (size_t at = totals.find("6 of 6"); at != std::string::npos;
       at = totals.find("6 of 6", at + 1)) {
    ++full_marks;
  }
  EXPECT_EQ(full_marks, 5) << totals;
  EXPECT_NE(text.find(totals), std::string::npos);
}

TEST(NistCommandTest, BadNamesAndMissingFilesAreErrors) {
  NistBenchmarkOptions options;
  options.directory = "/nonexistent";
  options.problems = {"Misra1a"};
  NistBenchmarkResult result;
  std::string error;
  options.optimizers = {"fisher-lm", "gauss-seidel"};
  EXPECT_FALSE(RunNistBenchmark(options, &result, &error));
  EXPECT_NE(error.find("unknown optimizer 'gauss-seidel'"), std::string::npos)
      << error;
  EXPECT_NE(error.find("ceres-dogleg"), std::string::npos) << error;
  options.optimizers = {};
  EXPECT_FALSE(RunNistBenchmark(options, &result, &error));
  EXPECT_NE(error.find("/nonexistent/Misra1a.dat"), std::string::npos)
      << error;
  options.problems = {"Misra2a"};
  EXPECT_FALSE(RunNistBenchmark(options, &result, &error));
  EXPECT_NE(error.find("unknown NIST problem 'Misra2a'"), std::string::npos)
      << error;
}

}  // namespace
}  // namespace fisheropt
