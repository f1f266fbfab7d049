// Under `mpirun -np K` (K = 1, 2, 4; tests/distributed/CMakeLists.txt): each
// rank holds its part of the rows, and the distributed results are checked
// on every rank against one process fitting all rows, computed in the same
// process — so each run checks itself, and K = 1, 2, 4 all meet the same
// reference (same iteration counts, estimates within 1e-12 relative).
// Every collective call comes before the assertions that depend on it, so a
// failed assertion on one rank does not leave the others waiting.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/distributed_model.h"
#include "distributed/mpi_communicator.h"
#include "distributed/process_group.h"
#include "optim/newton_solver.h"
#include "problems/csv_reader.h"
#include "problems/glm_model.h"
#include "problems/synthetic_data.h"
#include "stats/data_frame.h"
#include "stats/glm_fit.h"
#include "tests/distributed/row_parts.h"
#include "tools/command_line.h"

namespace fisheropt {
namespace {

using testing::RowsOf;

// main()'s process group (MPI_COMM_WORLD under mpirun).
const Communicator& World() { return *ProcessGroup::Current(); }

// The bytes of a vector of doubles as text, to compare bits across ranks.
std::string Bytes(const std::vector<double>& values) {
  return std::string(reinterpret_cast<const char*>(values.data()),
                     values.size() * sizeof(double));
}

TEST(MpiCommunicatorTest, SumIsTheFixedTreeAndTheSameBitsOnEveryRank) {
  const Communicator& world = World();
  const int size = world.size();
  // Values of mixed magnitudes, so that another order of addition would
  // change the last bits.
  const auto value = [](int rank, int i) {
    return std::sin(1.0 + i * (rank + 1.0)) * std::pow(10.0, i % 7 - 3);
  };
  const int n = 1000;
  std::vector<double> values(n);
  for (int i = 0; i < n; ++i) values[i] = value(world.rank(), i);
  world.SumInPlace(values.data(), n);
  const std::vector<std::string> all = world.AllGather(Bytes(values));
  // The tree of communicator.h, computed here from every rank's values.
  std::vector<std::vector<double>> partial(size, std::vector<double>(n));
  for (int r = 0; r < size; ++r) {
    for (int i = 0; i < n; ++i) partial[r][i] = value(r, i);
  }
  for (int step = 1; step < size; step *= 2) {
    for (int r = 0; r + step < size; r += 2 * step) {
      for (int i = 0; i < n; ++i) partial[r][i] += partial[r + step][i];
    }
  }
  EXPECT_EQ(Bytes(values), Bytes(partial[0]));
  for (int r = 0; r < size; ++r) EXPECT_EQ(all[r], all[0]) << "rank " << r;
}

TEST(MpiCommunicatorTest, AgreeOkGivesEveryRankTheLowestFailingRanksMessage) {
  const Communicator& world = World();
  std::string message = "unused";
  EXPECT_TRUE(world.AgreeOk(true, &message));
  message = "rank " + std::to_string(world.rank()) + " failed";
  const bool ok = world.AgreeOk(world.rank() == 0, &message);
  if (world.size() == 1) {
    EXPECT_TRUE(ok);
  } else {
    EXPECT_FALSE(ok);
    EXPECT_EQ(message, "rank 1 failed");
  }
  std::string text = world.rank() == 0 ? "levels from rank 0" : "";
  world.Broadcast(&text);
  EXPECT_EQ(text, "levels from rank 0");
}

// Solves the GLM of `data` with `options` on this rank's part through
// DistributedModel, and on all rows in this process.
struct Fits {
  Eigen::VectorXd distributed, serial;
  SolverSummary distributed_summary, serial_summary;
};
Fits FitBothWays(const Dataset& data, GlmFamilyType family,
                 const SolverOptions& options) {
  const Communicator& world = World();
  std::string error;
  const RowRange range =
      PartOfRows(data.NumSamples(), world.rank(), world.size());
  auto local = GlmModel::Create(RowsOf(data, range), family, &error);
  auto whole = GlmModel::Create(data, family, &error);
  EXPECT_NE(local, nullptr) << error;
  EXPECT_NE(whole, nullptr) << error;
  local->SetFirstRow(range.begin);
  DistributedModel model(*local, world);
  Fits fits;
  fits.distributed = fits.serial = Eigen::VectorXd::Zero(data.NumFeatures());
  Solve(options, model, &fits.distributed, &fits.distributed_summary);
  Solve(options, *whole, &fits.serial, &fits.serial_summary);
  return fits;
}

void ExpectSameFit(const Fits& fits) {
  EXPECT_EQ(fits.distributed_summary.termination_type,
            TerminationType::kConvergence)
      << fits.distributed_summary.message;
  EXPECT_EQ(fits.distributed_summary.num_iterations(),
            fits.serial_summary.num_iterations());
  EXPECT_LE((fits.distributed - fits.serial).norm(), 1e-12 * fits.serial.norm())
      << "distributed " << fits.distributed.transpose() << "\nserial      "
      << fits.serial.transpose();
  // Every rank took the same steps: its estimates are rank 0's, bit for bit.
  const std::vector<double> estimates(
      fits.distributed.data(),
      fits.distributed.data() + fits.distributed.size());
  const std::vector<std::string> all = World().AllGather(Bytes(estimates));
  for (const std::string& other : all) EXPECT_EQ(other, all[0]);
}

SolverOptions FisherScoring() {
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.stopping.max_iterations = 100;
  options.stopping.function_tolerance = 1e-12;
  options.stopping.parameter_tolerance = 1e-14;
  return options;
}

TEST(DistributedModelMpiTest, FisherScoringOnPartsIsOneProcessFit) {
  // 3001 rows: parts of unequal sizes that do not fall on chunk bounds.
  const SyntheticRegression synthetic = MakeLogisticRegressionData(3001, 6, 17);
  ExpectSameFit(FitBothWays(synthetic.data, GlmFamilyType::kBernoulliLogit,
                            FisherScoring()));
}

TEST(DistributedModelMpiTest, MonteCarloFisherDrawsTheSameResponsesForAnyK) {
  // Seeded draws keyed by the global row: the curvature of every iteration
  // is one process's up to the order of the sums.
  const SyntheticRegression synthetic = MakePoissonRegressionData(2500, 4, 5);
  SolverOptions options = FisherScoring();
  options.curvature.type = CurvatureType::kMonteCarloFisher;
  options.curvature.monte_carlo_samples = 3;
  options.stopping.function_tolerance = 1e-10;
  ExpectSameFit(
      FitBothWays(synthetic.data, GlmFamilyType::kPoissonLog, options));
}

TEST(DistributedModelMpiTest, MatrixFreeNewtonReducesItsProducts) {
  const SyntheticRegression synthetic = MakeProbitRegressionData(2000, 5, 23);
  SolverOptions options = FisherScoring();
  options.curvature.type = CurvatureType::kHessian;
  options.linear_solver.type = LinearSolverType::kConjugateGradient;
  ExpectSameFit(
      FitBothWays(synthetic.data, GlmFamilyType::kBernoulliProbit, options));
}

// FitGlm on this rank's part with the communicator, and on all rows.
struct GlmFits {
  bool distributed_ok = false, serial_ok = false;
  GlmFit distributed, serial;
  std::string distributed_error, serial_error;
};
GlmFits FitGlmBothWays(const Dataset& data, const GlmSpec& spec) {
  const Communicator& world = World();
  const RowRange range =
      PartOfRows(data.NumSamples(), world.rank(), world.size());
  GlmSpec distributed_spec = spec;
  distributed_spec.communicator = &world;
  GlmFits fits;
  fits.distributed_ok = FitGlm(RowsOf(data, range), distributed_spec,
                               &fits.distributed, &fits.distributed_error);
  fits.serial_ok = FitGlm(data, spec, &fits.serial, &fits.serial_error);
  return fits;
}

double RelativeDifference(double a, double b) {
  return std::abs(a - b) / std::max(std::abs(b), 1e-300);
}

void ExpectSameGlmFit(const GlmFits& fits) {
  ASSERT_TRUE(fits.serial_ok) << fits.serial_error;
  ASSERT_TRUE(fits.distributed_ok) << fits.distributed_error;
  const GlmFit& a = fits.distributed;
  const GlmFit& b = fits.serial;
  EXPECT_EQ(a.summary.num_iterations(), b.summary.num_iterations());
  // Not polishing_steps: a polishing step is kept when it lowers the
  // gradient's norm, which at the optimum compares rounding errors (another
  // order of the sums keeps 1, 2 or 3); the estimates they reach agree.
  EXPECT_EQ(a.aliased, b.aliased);
  EXPECT_EQ(a.converged, b.converged);
  EXPECT_EQ(a.mle_exists, b.mle_exists);
  EXPECT_EQ(a.num_observations, b.num_observations);
  EXPECT_EQ(a.warnings, b.warnings);
  for (Eigen::Index j = 0; j < b.estimates.size(); ++j) {
    if (b.aliased[j]) continue;
    EXPECT_LE(RelativeDifference(a.estimates[j], b.estimates[j]), 1e-12)
        << "estimate " << j;
    EXPECT_LE(RelativeDifference(a.inference.coefficients[j].standard_error,
                                 b.inference.coefficients[j].standard_error),
              1e-10)
        << "standard error " << j;
  }
  EXPECT_LE(RelativeDifference(a.deviance, b.deviance), 1e-12);
  EXPECT_LE(RelativeDifference(a.null_deviance, b.null_deviance), 1e-12);
  EXPECT_LE(RelativeDifference(a.pearson_chi2, b.pearson_chi2), 1e-12);
  if (!std::isnan(b.aic)) {
    EXPECT_LE(RelativeDifference(a.aic, b.aic), 1e-12);
  }
  long rows = 0;
  for (long count : a.rows_per_process) rows += count;
  EXPECT_EQ(static_cast<int>(a.rows_per_process.size()), World().size());
  EXPECT_EQ(b.rows_per_process, std::vector<long>{rows});
}

TEST(FitGlmMpiTest, PoissonWithWeightsAndOffsetIsTheOneProcessFit) {
  SyntheticRegression synthetic = MakePoissonRegressionData(1999, 5, 31);
  Dataset& data = synthetic.data;
  data.weights = Eigen::VectorXd::Ones(data.NumSamples());
  data.offset = Eigen::VectorXd::Zero(data.NumSamples());
  for (int i = 0; i < data.NumSamples(); ++i) {
    data.weights[i] = i % 7 == 0 ? 0.0 : 1.0 + (i % 3);
    data.offset[i] = 0.1 * std::sin(i);
  }
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  // The null deviance with an offset is a one-column fit, reduced too.
  ExpectSameGlmFit(FitGlmBothWays(data, spec));
}

TEST(FitGlmMpiTest, GammaAndGaussianAicsAndAliasingAreTheOneProcessFits) {
  SyntheticRegression synthetic =
      MakeGlmRegressionData(GlmFamilyType::kGaussianIdentity, 1501, 4, 8);
  Dataset& data = synthetic.data;
  // An aliased column (twice x1), decided on the R factor of all parts.
  data.x.conservativeResize(Eigen::NoChange, 5);
  data.x.col(4) = 2.0 * data.x.col(1);
  data.column_names.push_back("x1_twice");
  data.weights = Eigen::VectorXd::LinSpaced(data.NumSamples(), 0.5, 2.0);
  GlmSpec spec;
  spec.distribution = GlmDistribution::kGaussian;
  ExpectSameGlmFit(FitGlmBothWays(data, spec));
  // Gamma(log) on positive responses: its AIC has a dispersion inside the
  // row sum.
  data.y = (0.3 * data.y).array().exp();
  spec.distribution = GlmDistribution::kGamma;
  spec.link = GlmLink::kLog;
  ExpectSameGlmFit(FitGlmBothWays(data, spec));
}

TEST(FitGlmMpiTest, SeparationIsDecidedOnTheRowsOfEveryProcess) {
  // y = 1 exactly when x > 0: completely separated, which only the rows of
  // all processes together decide (a part may hold one class only).
  SyntheticRegression synthetic = MakeLogisticRegressionData(400, 3, 2);
  Dataset& data = synthetic.data;
  for (int i = 0; i < data.NumSamples(); ++i) {
    data.y[i] = data.x(i, 1) > 0.0 ? 1.0 : 0.0;
  }
  GlmSpec spec;
  const GlmFits fits = FitGlmBothWays(data, spec);
  ASSERT_TRUE(fits.distributed_ok) << fits.distributed_error;
  ASSERT_TRUE(fits.serial_ok) << fits.serial_error;
  EXPECT_FALSE(fits.serial.mle_exists);
  EXPECT_FALSE(fits.distributed.mle_exists);
  EXPECT_EQ(fits.distributed.warnings, fits.serial.warnings);
}

TEST(FitGlmMpiTest, ABadPartMakesEveryProcessFailWithItsMessage) {
  const Communicator& world = World();
  SyntheticRegression synthetic = MakeLogisticRegressionData(400, 3, 2);
  const RowRange range = PartOfRows(400, world.rank(), world.size());
  Dataset part = RowsOf(synthetic.data, range);
  // The last process's part has a response outside {0, 1}.
  if (world.rank() == world.size() - 1) part.y[0] = 3.0;
  GlmSpec spec;
  spec.communicator = &world;
  GlmFit fit;
  std::string error;
  EXPECT_FALSE(FitGlm(std::move(part), spec, &fit, &error));
  EXPECT_NE(error.find("3"), std::string::npos) << error;
}

// `fisheropt fit ARGS` run by every process through the command line's
// library, as the executable's main() runs it; rank 0's stderr text.
struct CommandRun {
  int status = 0;
  std::string err;
};
CommandRun RunFitCommand(std::vector<std::string> args) {
  args.insert(args.begin(), {"fisheropt", "fit"});
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  std::ostringstream out, err;
  CommandLine command_line;
  CommandRun run;
  run.status = ParseCommandLine(static_cast<int>(argv.size()), argv.data(),
                                &command_line, out, err);
  if (run.status < 0) run.status = RunCommandLine(command_line, out, err);
  run.err = err.str();
  return run;
}

// A file name for rank 0 to write, the same on every rank.
std::string SharedTemporaryPath(const std::string& stem) {
  std::string path = ::testing::TempDir() + stem + "_" +
                     std::to_string(World().size()) + "_" +
                     std::to_string(getpid()) + ".json";
  World().Broadcast(&path);
  return path;
}

// The one-process fit of FitGlm on the whole file (no communicator).
GlmFit SerialFitOfFile(const std::string& path, const std::string& formula) {
  CsvTable table;
  std::string error;
  EXPECT_TRUE(ReadCsvFile(path, &table, &error)) << error;
  DataFrame frame;
  EXPECT_TRUE(DataFrameFromCsv(table, &frame, &error)) << error;
  GlmFit fit;
  EXPECT_TRUE(FitGlm(formula, frame, GlmSpec(), {}, &fit, &error)) << error;
  return fit;
}

// The fit command under mpirun on a CSV file whose level "west" is in the
// last quarter of the rows only (the last process's part, and absent from
// process 0's): every process codes it as one process would, and the JSON
// says how many processes read how many rows.
void ExpectCommandFitIsOneProcessFit(const std::string& formula_or_columns,
                                     const std::vector<std::string>& args) {
  const std::string data = FISHEROPT_DISTRIBUTED_DATA_DIR "/levels.csv";
  const std::string json_path = SharedTemporaryPath("fit");
  std::vector<std::string> command = {"--data",   data,     "--model",
                                      "binomial", "--json", json_path};
  command.insert(command.end(), args.begin(), args.end());
  const CommandRun run = RunFitCommand(command);
  const GlmFit serial = SerialFitOfFile(data, formula_or_columns);
  ASSERT_EQ(run.status, 0) << run.err;
  if (World().rank() != 0) return;
  std::ifstream file(json_path);
  const nlohmann::json json = nlohmann::json::parse(file);
  std::remove(json_path.c_str());
  EXPECT_EQ(json["processes"].get<int>(), World().size());
  const std::vector<long> rows = json["rows_per_process"];
  ASSERT_EQ(static_cast<int>(rows.size()), World().size());
  long total = 0;
  for (long count : rows) total += count;
  EXPECT_EQ(total, 400);
  ASSERT_EQ(json["coefficients"].size(), serial.names.size());
  for (size_t j = 0; j < serial.names.size(); ++j) {
    const nlohmann::json& row = json["coefficients"][j];
    EXPECT_EQ(row["name"].get<std::string>(), serial.names[j]);
    EXPECT_LE(
        RelativeDifference(row["estimate"].get<double>(), serial.estimates[j]),
        1e-12)
        << serial.names[j];
  }
}

TEST(FitCommandMpiTest, NumericColumnsGiveTheOneProcessFitAndTheProcessCount) {
  ExpectCommandFitIsOneProcessFit("y ~ x",
                                  {"--response", "y", "--predictors", "x"});
}

TEST(FitCommandMpiTest, ALevelSeenByOneProcessIsCodedAlikeByAll) {
  ExpectCommandFitIsOneProcessFit("y ~ x + region",
                                  {"--formula", "y ~ x + region"});
}

TEST(FitCommandMpiTest, AFailingPartEndsEveryProcessWithItsLine) {
  // Line 390 of 401 is in the last process's part.
  const CommandRun run = RunFitCommand(
      {"--data", FISHEROPT_DISTRIBUTED_DATA_DIR "/bad_last_part.csv", "--model",
       "binomial", "--response", "y"});
  EXPECT_EQ(run.status, 1);
  if (World().rank() != 0) return;  // the executable prints on process 0
  EXPECT_NE(run.err.find("line 390"), std::string::npos) << run.err;
  if (World().size() > 1) {
    EXPECT_NE(run.err.find(fmt::format("process {} of {}", World().size() - 1,
                                       World().size())),
              std::string::npos)
        << run.err;
  }
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
}

}  // namespace
}  // namespace fisheropt

// MPI around GoogleTest; only rank 0 prints the test log, and the exit
// status is nonzero when any rank failed.
int main(int argc, char** argv) {
  fisheropt::ProcessGroup processes(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  const fisheropt::Communicator& world = fisheropt::World();
  if (world.rank() != 0) {
    ::testing::TestEventListeners& listeners =
        ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  const int status = RUN_ALL_TESTS();
  const std::int64_t failed = world.Sum(std::int64_t{status != 0 ? 1 : 0});
  if (world.rank() == 0 && failed > 0) {
    std::printf("%lld rank(s) failed\n", static_cast<long long>(failed));
  }
  return failed > 0 ? 1 : 0;
}
