// Under `mpirun -np K` (K = 1, 2, 4; tests/distributed/CMakeLists.txt): each
// rank holds its part of the rows, and the distributed results are checked
// on every rank against one process fitting all rows, computed in the same
// process — so each run checks itself, and K = 1, 2, 4 all meet the same
// reference (same iteration counts, estimates within 1e-12 relative).
// Every collective call comes before the assertions that depend on it, so a
// failed assertion on one rank does not leave the others waiting.

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "distributed/communicator.h"
#include "distributed/distributed_model.h"
#include "distributed/mpi_communicator.h"
#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/synthetic_data.h"
#include "tests/distributed/row_parts.h"

namespace fisheropt {
namespace {

using testing::RowsOf;

const Communicator& World() {
  static const MpiCommunicator world;
  return world;
}

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
  EXPECT_LE((fits.distributed - fits.serial).norm(),
            1e-12 * fits.serial.norm())
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
  const SyntheticRegression synthetic =
      MakeLogisticRegressionData(3001, 6, 17);
  ExpectSameFit(FitBothWays(synthetic.data, GlmFamilyType::kBernoulliLogit,
                            FisherScoring()));
}

TEST(DistributedModelMpiTest, MonteCarloFisherDrawsTheSameResponsesForAnyK) {
  // Seeded draws keyed by the global row: the curvature of every iteration
  // is one process's up to the order of the sums.
  const SyntheticRegression synthetic =
      MakePoissonRegressionData(2500, 4, 5);
  SolverOptions options = FisherScoring();
  options.curvature.type = CurvatureType::kMonteCarloFisher;
  options.curvature.monte_carlo_samples = 3;
  options.stopping.function_tolerance = 1e-10;
  ExpectSameFit(
      FitBothWays(synthetic.data, GlmFamilyType::kPoissonLog, options));
}

TEST(DistributedModelMpiTest, MatrixFreeNewtonReducesItsProducts) {
  const SyntheticRegression synthetic =
      MakeProbitRegressionData(2000, 5, 23);
  SolverOptions options = FisherScoring();
  options.curvature.type = CurvatureType::kHessian;
  options.linear_solver.type = LinearSolverType::kConjugateGradient;
  ExpectSameFit(
      FitBothWays(synthetic.data, GlmFamilyType::kBernoulliProbit, options));
}

}  // namespace
}  // namespace fisheropt

// MPI around GoogleTest; only rank 0 prints the test log, and the exit
// status is nonzero when any rank failed.
int main(int argc, char** argv) {
  fisheropt::MpiSession session(&argc, &argv);
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
