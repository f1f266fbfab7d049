#include "tools/compare.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

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
  options.catalog.softmax_samples = 1000;
  options.catalog.softmax_parameters = 3;
  options.catalog.softmax_classes = 3;
  return options;
}

TEST(CompareTest, EveryOptimizerConvergesToTheReferenceOnEveryProblem) {
  ComparisonResult result;
  std::string error;
  ASSERT_TRUE(RunComparison(SmallComparison(), &result, &error)) << error;
  ASSERT_EQ(result.references.size(), 6u);
  EXPECT_EQ(result.references[1].source, "closed form");  // mvn
  EXPECT_EQ(result.references[4].source, "closed form");  // gaussian-regression
  ASSERT_EQ(result.rows.size(), 6 * BuiltinOptimizers().size());
  int not_available = 0;
  for (const ComparisonRow& row : result.rows) {
    // Ceres' trust-region methods need a sum of squares: the MVN and the
    // Gaussian regression with unknown σ (whose N log σ term is no square)
    // have none, and say so.
    const bool no_residuals =
        row.problem == "mvn" || row.problem == "gaussian-regression";
    if (no_residuals && (row.summary.solver == "ceres-lm" ||
                         row.summary.solver == "ceres-dogleg")) {
      EXPECT_TRUE(row.summary.iterations.empty()) << row.summary.solver;
      EXPECT_EQ(row.summary.message, "model '" + row.problem +
                                         "' has no least-squares residual "
                                         "form");
      ++not_available;
      continue;
    }
    // The row-subsampled and single-precision Fisher matrices exist for the
    // GLMs and softmax (the models of a weighted Gram kernel) only.
    if ((row.summary.solver == "fisher-subsampled" ||
         row.summary.solver == "fisher-bfgs" ||
         row.summary.solver == "fisher-lbfgs" ||
         row.summary.solver == "fisher-lbfgs-diag" ||
         row.summary.solver == "fisher-single") &&
        no_residuals) {
      EXPECT_TRUE(row.summary.iterations.empty()) << row.problem;
      const std::string what =
          row.summary.solver == "fisher-single" ? "single-precision"
          : row.summary.solver.rfind("fisher-lbfgs", 0) == 0
              ? "row-subsampled single-precision"
              : "row-subsampled";
      EXPECT_EQ(row.summary.message, "model '" + row.problem + "' has no " +
                                         what + " expected_fisher");
      ++not_available;
      continue;
    }
    EXPECT_EQ(row.summary.termination_type, TerminationType::kConvergence)
        << row.problem << " " << row.summary.solver << ": "
        << row.summary.message;
    EXPECT_LT(row.relative_distance, 1e-4)
        << row.problem << " " << row.summary.solver;
    EXPECT_LT(std::abs(row.nll_gap), 1e-8 * row.summary.final_cost)
        << row.problem << " " << row.summary.solver;
  }
  EXPECT_EQ(not_available, 14);
  const std::string table = FormatComparison(result);
  EXPECT_NE(table.find("Problem 'logistic'"), std::string::npos);
  EXPECT_NE(table.find("ceres-lm            gauss_newton       "
                       "levenberg_marquardt not available: model 'mvn' has no "
                       "least-squares residual form"),
            std::string::npos)
      << table;
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
            "empirical-fisher monte-carlo-fisher natural-gradient "
            "natural-gradient-kl fisher-lm fisher-wolfe fisher-reuse "
            "fisher-subsampled fisher-bfgs fisher-lbfgs fisher-lbfgs-diag "
            "fisher-single truncated-newton "
            "ceres-lbfgs ceres-bfgs ceres-lm ceres-dogleg");
  options = SmallComparison();
  options.problems = {"rosenbrock"};
  EXPECT_FALSE(RunComparison(options, &result, &error));
  EXPECT_EQ(error,
            "unknown problem 'rosenbrock'; known problems: logistic mvn "
            "probit poisson gaussian-regression softmax nist-<Name> (with a "
            "NIST folder)");
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

int CountLines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

class CompareOutputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CompareOptions options = SmallComparison();
    options.problems = {"logistic", "mvn"};
    options.optimizers = {"fisher-scoring", "natural-gradient-kl",
                          "ceres-bfgs"};
    std::string error;
    ASSERT_TRUE(RunComparison(options, &result_, &error)) << error;
    directory_ =
        std::filesystem::path(::testing::TempDir()) /
        ("compare_out_" +
         std::string(
             ::testing::UnitTest::GetInstance()->current_test_info()->name()));
    std::filesystem::remove_all(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  ComparisonResult result_;
  std::filesystem::path directory_;
};

TEST_F(CompareOutputTest, TraceCsvHasOneRowPerIterationOfEveryOptimizer) {
  const std::string csv = FormatTraceCsv(result_, "mvn");
  int expected_rows = 1;  // header
  for (const ComparisonRow& row : result_.rows) {
    if (row.problem == "mvn") {
      expected_rows += static_cast<int>(row.summary.iterations.size());
    }
  }
  EXPECT_EQ(CountLines(csv), expected_rows);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "problem,optimizer,iteration,time_seconds,nll,nll_minus_reference,"
            "gradient_norm,step_norm,damping,kl");
  // The first row: the start point of the first optimizer, whose gap is
  // L(θ₀) − NLL*; KL is reported by the Newton-like solver, not by Ceres.
  std::istringstream lines(csv);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(first.substr(0, first.find(',', first.find(',') + 1)),
            "mvn,fisher-scoring");
  EXPECT_EQ(csv.find("mvn,ceres-bfgs,1,") != std::string::npos, true);
  const size_t ceres_row = csv.find("mvn,ceres-bfgs,1,");
  EXPECT_EQ(csv[csv.find('\n', ceres_row) - 1], ',');  // empty kl column
  const size_t kl_row = csv.find("mvn,natural-gradient-kl,1,");
  ASSERT_NE(kl_row, std::string::npos);
  EXPECT_NE(csv[csv.find('\n', kl_row) - 1], ',');
}

TEST_F(CompareOutputTest, MissingGnuplotSkipsThePlotsButWritesTheRest) {
  CompareOutputOptions options;
  options.directory = (directory_ / "nested" / "dir").string();
  options.gnuplot = "/nonexistent/gnuplot";
  CompareOutputReport report;
  std::string error;
  ASSERT_TRUE(WriteComparisonOutputs(result_, options, &report, &error))
      << error;
  EXPECT_FALSE(report.plots_written);
  EXPECT_NE(report.note.find("could not be run"), std::string::npos);
  EXPECT_EQ(report.files,
            (std::vector<std::string>{"traces_logistic.csv", "traces_mvn.csv",
                                      "index.md"}));
  const std::string index =
      ReadFile(std::filesystem::path(options.directory) / "index.md");
  EXPECT_NE(index.find("_Plots skipped:"), std::string::npos);
  EXPECT_NE(index.find("| natural-gradient-kl | expected_fisher | "
                       "kl_trust_region |"),
            std::string::npos);
  EXPECT_EQ(index.find(".png"), std::string::npos);
}

TEST_F(CompareOutputTest, GnuplotWritesAPngAndAnSvgPerProblem) {
  if (std::system("gnuplot -e 'exit' > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "gnuplot is not installed (scripts/setup installs it)";
  }
  CompareOutputOptions options;
  options.directory = directory_.string();
  CompareOutputReport report;
  std::string error;
  ASSERT_TRUE(WriteComparisonOutputs(result_, options, &report, &error))
      << error;
  ASSERT_TRUE(report.plots_written) << report.note;
  for (const std::string problem : {"logistic", "mvn"}) {
    const std::string png = ReadFile(directory_ / (problem + ".png"));
    ASSERT_GT(png.size(), 1000u) << problem;
    EXPECT_EQ(png.substr(1, 3), "PNG");
    const std::string svg = ReadFile(directory_ / (problem + ".svg"));
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("natural-gradient-kl"), std::string::npos);
  }
  const std::string index = ReadFile(directory_ / "index.md");
  EXPECT_NE(
      index.find("![mvn: NLL − NLL* against iteration and time](mvn.png)"),
      std::string::npos);
  EXPECT_EQ(index.find("_Plots skipped:"), std::string::npos);
}

// Our files replace the old ones by renaming (a new inode), leave no
// temporary file, and are among ComparisonOutputFileNames (which the command
// line checks --data against); a failed write is an error naming the file
// and keeps the old one.
TEST_F(CompareOutputTest, FilesAreReplacedAtomically) {
  CompareOutputOptions options;
  options.directory = directory_.string();
  options.gnuplot = "/nonexistent/gnuplot";
  std::filesystem::create_directories(directory_);
  std::ofstream(directory_ / "index.md") << "old index\n";
  struct stat before;
  ASSERT_EQ(::stat((directory_ / "index.md").c_str(), &before), 0);
  CompareOutputReport report;
  std::string error;
  ASSERT_TRUE(WriteComparisonOutputs(result_, options, &report, &error))
      << error;
  struct stat after;
  ASSERT_EQ(::stat((directory_ / "index.md").c_str(), &after), 0);
  EXPECT_NE(after.st_ino, before.st_ino);
  EXPECT_NE(ReadFile(directory_ / "index.md"), "old index\n");
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory_)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"index.md", "traces_logistic.csv",
                                             "traces_mvn.csv"}));
  for (const std::string problem : {"logistic", "mvn"}) {
    const std::vector<std::string> allowed = ComparisonOutputFileNames(problem);
    EXPECT_NE(
        std::find(allowed.begin(), allowed.end(), "traces_" + problem + ".csv"),
        allowed.end());
    EXPECT_NE(std::find(allowed.begin(), allowed.end(), "index.md"),
              allowed.end());
  }

  // index.md as a folder: the trace files are written, index.md fails with
  // the reason, and nothing else is touched.
  std::filesystem::remove(directory_ / "index.md");
  std::filesystem::create_directories(directory_ / "index.md");
  EXPECT_FALSE(WriteComparisonOutputs(result_, options, &report, &error));
  EXPECT_EQ(error, "cannot write '" + (directory_ / "index.md").string() +
                       "': Is a directory");
}

TEST_F(CompareOutputTest, UnwritableDirectoryIsAClearError) {
  CompareOutputOptions options;
  options.directory = "/proc/fisheropt-cannot-write-here";
  CompareOutputReport report;
  std::string error;
  EXPECT_FALSE(WriteComparisonOutputs(result_, options, &report, &error));
  EXPECT_EQ(error.rfind("cannot create the output directory "
                        "/proc/fisheropt-cannot-write-here",
                        0),
            0u)
      << error;
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(CompareTest, RunsOnAUserCsvFile) {
  const std::string path = ::testing::TempDir() + "/compare_data_" +
                           std::to_string(getpid()) + ".csv";
  {
    std::ofstream file(path);
    file << "y,a,b\n";
    for (int i = 0; i < 200; ++i) {
      const double a = std::sin(0.7 * i), b = std::cos(1.3 * i);
      file << ((0.5 * a - b + 0.3 * std::sin(5.1 * i)) > 0 ? 1 : 0) << "," << a
           << "," << b << "\n";
    }
  }
  CompareOptions options;
  options.data_path = path;
  options.data_model = "probit";
  options.data_response = "y";
  options.optimizers = {"newton", "fisher-scoring", "ceres-bfgs"};
  ComparisonResult result;
  std::string error;
  ASSERT_TRUE(RunComparison(options, &result, &error)) << error;
  ASSERT_EQ(result.rows.size(), 3u);
  for (const ComparisonRow& row : result.rows) {
    EXPECT_EQ(row.problem, "data");
    EXPECT_EQ(row.summary.termination_type, TerminationType::kConvergence)
        << row.summary.solver;
    EXPECT_LT(row.relative_distance, 1e-5) << row.summary.solver;
  }
  options.data_response = "z";
  EXPECT_FALSE(RunComparison(options, &result, &error));
  EXPECT_EQ(error, "unknown column 'z'; available columns: y, a, b");
  options.problems = {"logistic"};
  EXPECT_FALSE(RunComparison(options, &result, &error));
  EXPECT_EQ(error, "give either --data or --problem, not both");
  std::remove(path.c_str());
}

}  // namespace
}  // namespace fisheropt
