// CurvatureSchedule (optim/curvature_schedule.h), through the solver: the
// refresh policy of a reused C (the chord variant of Fisher scoring, fewer
// curvature evaluations, max_age = 1 is plain Fisher scoring), its secant
// correction (dense BFGS or L-BFGS with H₀ = γ C⁻¹), and matrix-free
// products for conjugate gradient. Each must still reach the exact MLE.

#include "optim/curvature_schedule.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/exact_mle.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::ExactFit;
using testing::ExactMleProblem;
using testing::ExpectTheExactMle;
using testing::FisherScoring;
using testing::FitExactly;
using testing::RelativeError;

TEST(CurvatureReuseTest, ChordFisherScoringReachesTheExactMle) {
  for (const std::string name : {"logistic", "poisson", "probit"}) {
    auto problem = ExactMleProblem(name);
    const ExactFit exact = FitExactly(*problem->model, problem->start);
    SolverOptions options = FisherScoring();
    options.curvature_reuse.max_age = 1000;
    const SolverSummary summary = ExpectTheExactMle(
        options, *problem->model, problem->start, exact, name);
    // Fewer Fisher matrices than iterations (more, cheaper iterations).
    EXPECT_GE(summary.num_curvature_evaluations, 1) << name;
    EXPECT_LT(summary.num_curvature_evaluations, summary.num_iterations())
        << name;
    EXPECT_LT(summary.num_curvature_evaluations,
              exact.summary.num_curvature_evaluations)
        << name;
  }
}

TEST(CurvatureReuseTest, AgeOneIsPlainFisherScoringAndAgeBoundsReuse) {
  auto problem = ExactMleProblem("logistic");
  Eigen::VectorXd plain = problem->start;
  SolverSummary plain_summary;
  Solve(FisherScoring(), *problem->model, &plain, &plain_summary);
  SolverOptions options = FisherScoring();
  options.curvature_reuse.max_age = 1;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  EXPECT_EQ(theta, plain);  // bit-identical
  EXPECT_EQ(summary.num_curvature_evaluations,
            plain_summary.num_curvature_evaluations);

  // max_age = 2 with no contraction rule: a new C every other iteration.
  options.curvature_reuse.max_age = 2;
  options.curvature_reuse.max_gradient_ratio = 1.0;
  theta = problem->start;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  EXPECT_EQ(summary.num_curvature_evaluations,
            (summary.num_iterations() + 1) / 2);
}

// BFGS from a Fisher matrix (SecantCorrection::kDenseBfgs): still the
// exact MLE, with fewer iterations than plain reuse of the same Fisher —
// superlinear instead of linear. Probit: Fisher ≠ Hessian, so the secant
// pairs have something to correct even at the optimum.
TEST(SecantCorrectionTest, BfgsFromTheFisherReachesTheExactMleFasterThanReuse) {
  for (const std::string name : {"logistic", "poisson", "probit"}) {
    auto problem = ExactMleProblem(name);
    const ExactFit exact = FitExactly(*problem->model, problem->start);
    // One Fisher matrix, refreshed only if a step grows the gradient.
    SolverOptions options = FisherScoring();
    options.curvature_reuse.max_age = 1000;
    options.curvature_reuse.max_gradient_ratio = 1.0;
    Eigen::VectorXd plain = problem->start;
    SolverSummary plain_summary;
    Solve(options, *problem->model, &plain, &plain_summary);
    options.curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
    const SolverSummary summary = ExpectTheExactMle(
        options, *problem->model, problem->start, exact, name);
    EXPECT_GT(summary.num_secant_updates, 0) << name;
    EXPECT_EQ(plain_summary.num_secant_updates, 0) << name;
    // Measured: 13 vs 92 (logistic), 14 vs 38 (poisson), 11 vs 40 (probit).
    EXPECT_LT(2 * summary.num_iterations(), plain_summary.num_iterations())
        << name << ": " << summary.num_iterations() << " vs "
        << plain_summary.num_iterations();
    EXPECT_NE(summary.FullReport().find("secant (BFGS) updates"),
              std::string::npos);
  }
}

// The registry's fisher-bfgs: a subsampled Fisher as BFGS's initial matrix.
TEST(SecantCorrectionTest, BfgsFromASubsampledFisherReachesTheExactMle) {
  CatalogOptions catalog;
  catalog.logistic_samples = 20000;
  catalog.logistic_parameters = 10;
  std::string error;
  auto problem = MakeCatalogProblem("logistic", catalog, &error);
  ASSERT_NE(problem, nullptr) << error;
  const ExactFit exact = FitExactly(*problem->model, problem->start);
  SolverOptions options = FisherScoring();
  options.curvature.subsample.rows_per_parameter = 50.0;  // f = 0.025
  options.curvature_reuse.max_age = 1000;
  options.curvature_reuse.max_gradient_ratio = 0.25;
  options.curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
  const SolverSummary summary = ExpectTheExactMle(
      options, *problem->model, problem->start, exact, "fisher-bfgs");
  EXPECT_EQ(summary.curvature_approximation, "rows subsampled, fraction 0.025");
  EXPECT_LT(summary.num_curvature_evaluations, summary.num_iterations());
}
// The registry's fisher-lbfgs and fisher-lbfgs-diag: L-BFGS on a
// subsampled float Fisher, or on the diagonal of one from 4 rows per
// parameter, reaches the exact MLE (the pairs use exact gradients), with one
// or two curvature matrices in all.
TEST(SecantCorrectionTest, FisherPreconditionedLbfgsReachesTheExactMle) {
  CatalogOptions catalog;
  catalog.logistic_samples = 20000;
  catalog.logistic_parameters = 10;
  catalog.poisson_samples = 20000;
  catalog.poisson_parameters = 10;
  catalog.probit_samples = 20000;
  catalog.probit_parameters = 10;
  for (const std::string name : {"logistic", "poisson", "probit"}) {
    std::string error;
    auto problem = MakeCatalogProblem(name, catalog, &error);
    ASSERT_NE(problem, nullptr) << error;
    const ExactFit exact = FitExactly(*problem->model, problem->start);
    for (const bool diagonal : {false, true}) {
      SolverOptions options = FisherScoring();
      options.curvature.precision = GramPrecision::kSingle;
      options.curvature.subsample.rows_per_parameter = diagonal ? 4.0 : 50.0;
      if (diagonal) options.curvature.structure = CurvatureStructure::kDiagonal;
      options.curvature_reuse.max_age = 1000;
      options.curvature_reuse.max_gradient_ratio = 1.0;
      options.curvature_reuse.secant_correction =
          SecantCorrection::kLimitedMemoryBfgs;
      options.curvature_reuse.secant_memory = 20;
      const std::string label = name + (diagonal ? " diagonal" : " full");
      const SolverSummary summary = ExpectTheExactMle(
          options, *problem->model, problem->start, exact, label);
      EXPECT_GT(summary.num_secant_updates, 0) << label;
      EXPECT_LE(summary.num_curvature_evaluations, 3) << label;
      EXPECT_EQ(summary.linear_solver, "lbfgs") << label;
      // The pairs outlive a new C: L-BFGS works with a fresh C every
      // iteration too (the dense update needs a reused one).
      options.curvature_reuse.max_age = 1;
      const SolverSummary fresh = ExpectTheExactMle(
          options, *problem->model, problem->start, exact, label + " age 1");
      EXPECT_GT(fresh.num_secant_updates, 0) << label;
      EXPECT_GE(fresh.num_curvature_evaluations, fresh.num_iterations())
          << label;
    }
  }
}

// The L-BFGS direction with a fixed step (rate 1) also reaches the exact
// MLE.
TEST(SecantCorrectionTest, LbfgsWithAFixedStep) {
  auto problem = ExactMleProblem("logistic");
  const ExactFit exact = FitExactly(*problem->model, problem->start);
  SolverOptions options = FisherScoring();
  options.step_control = StepControlType::kFixedStep;
  options.fixed_step.learning_rate = 1.0;
  options.stopping.max_iterations = 200;
  options.curvature.structure = CurvatureStructure::kDiagonal;
  options.curvature_reuse.max_age = 1000;
  options.curvature_reuse.max_gradient_ratio = 1.0;
  options.curvature_reuse.secant_correction =
      SecantCorrection::kLimitedMemoryBfgs;
  options.curvature_reuse.secant_memory = 10;
  const SolverSummary summary = ExpectTheExactMle(
      options, *problem->model, problem->start, exact, "fixed step");
  EXPECT_EQ(summary.linear_solver, "lbfgs");
  EXPECT_GT(summary.num_secant_updates, 0);
}

// The schedule alone, on a curvature that counts its calls and may offer a
// least-squares factor C = BᵀB (B = 2I, b = θ).
class CountingCurvature final : public Curvature {
 public:
  explicit CountingCurvature(bool has_factor) : has_factor_(has_factor) {}
  CurvatureType type() const override { return CurvatureType::kGaussNewton; }
  bool LeastSquaresFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                          Eigen::VectorXd* residuals) override {
    if (!has_factor_) return false;
    *factor = 2.0 * Eigen::MatrixXd::Identity(theta.size(), theta.size());
    *residuals = theta;
    return true;
  }
  int calls = 0;

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override {
    ++calls;
    *curvature = 4.0 * Eigen::MatrixXd::Identity(theta.size(), theta.size());
    return true;
  }
  bool has_factor_;
};

SolverPoint PointWithGradient(double gradient) {
  SolverPoint point;
  point.theta = Eigen::VectorXd::Constant(2, 1.0);
  point.value = 1.0;
  point.gradient = Eigen::VectorXd::Constant(2, gradient);
  return point;
}

TEST(CurvatureScheduleTest, ReusesUntilTheGradientStallsAndRetriesOnce) {
  SolverOptions options;
  options.curvature_reuse.max_age = 10;
  options.curvature_reuse.max_gradient_ratio = 0.5;
  CountingCurvature curvature(/*has_factor=*/true);
  CurvatureSchedule schedule(options, &curvature, 2);
  SolverSummary summary;
  std::string error;
  EXPECT_FALSE(schedule.matrix_free());
  // A fresh C (with its factor: the residuals are those of this point);
  // a failed step with a fresh C is not retried.
  ASSERT_TRUE(schedule.Prepare(PointWithGradient(1.0), &summary, &error));
  EXPECT_EQ(curvature.calls, 1);
  EXPECT_TRUE(schedule.curvature_operator().has_least_squares_factor());
  EXPECT_FALSE(schedule.RetryWithFreshCurvature());
  // The gradient halved: C is reused, without the stale factor.
  ASSERT_TRUE(schedule.Prepare(PointWithGradient(0.5), &summary, &error));
  EXPECT_EQ(curvature.calls, 1);
  EXPECT_FALSE(schedule.curvature_operator().has_least_squares_factor());
  // A failed step with the reused C is retried with a fresh one.
  EXPECT_TRUE(schedule.RetryWithFreshCurvature());
  ASSERT_TRUE(schedule.Prepare(PointWithGradient(0.5), &summary, &error));
  EXPECT_EQ(curvature.calls, 2);
  // The gradient contracted by less than half: a new C.
  ASSERT_TRUE(schedule.Prepare(PointWithGradient(0.3), &summary, &error));
  EXPECT_EQ(curvature.calls, 3);
  EXPECT_EQ(summary.num_curvature_evaluations, 3);
  EXPECT_EQ(schedule.LinearSolverName(), "dense_qr");
}

TEST(CurvatureScheduleTest, NamesItsLinearSolverFromTheOptions) {
  CountingCurvature curvature(/*has_factor=*/false);
  SolverOptions options;
  EXPECT_EQ(CurvatureSchedule(options, &curvature, 2).LinearSolverName(),
            "cholesky");
  options.curvature_reuse.secant_correction =
      SecantCorrection::kLimitedMemoryBfgs;
  EXPECT_EQ(CurvatureSchedule(options, &curvature, 2).LinearSolverName(),
            "lbfgs");
  options.linear_solver.type = LinearSolverType::kConjugateGradient;
  CurvatureSchedule matrix_free(options, &curvature, 2);
  EXPECT_EQ(matrix_free.LinearSolverName(), "conjugate_gradient");
  EXPECT_TRUE(matrix_free.matrix_free());
  // Products at the current point: never a dense C, never a retry.
  SolverSummary summary;
  std::string error;
  ASSERT_TRUE(matrix_free.Prepare(PointWithGradient(1.0), &summary, &error));
  EXPECT_FALSE(matrix_free.curvature_operator().is_dense());
  EXPECT_EQ(curvature.calls, 0);
  EXPECT_FALSE(matrix_free.RetryWithFreshCurvature());
}

TEST(CurvatureScheduleTest, DenseBfgsCorrectsOnlyAReusedMatrix) {
  CountingCurvature curvature(/*has_factor=*/false);
  SolverOptions options;
  options.curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
  const SolverPoint from = PointWithGradient(1.0);
  SolverPoint to = PointWithGradient(0.5);
  to.theta *= 0.5;
  // max_age = 1: C is new every iteration, so there is nothing to correct.
  SolverSummary summary;
  CurvatureSchedule fresh(options, &curvature, 2);
  fresh.StepAccepted(from, to, &summary);
  EXPECT_EQ(summary.num_secant_updates, 0);
  // Reused: the pair updates C so that C s = y.
  options.curvature_reuse.max_age = 10;
  CurvatureSchedule reused(options, &curvature, 2);
  std::string error;
  ASSERT_TRUE(reused.Prepare(from, &summary, &error));
  reused.StepAccepted(from, to, &summary);
  EXPECT_EQ(summary.num_secant_updates, 1);
  ASSERT_TRUE(reused.Prepare(to, &summary, &error));
  Eigen::VectorXd product;
  ASSERT_TRUE(
      reused.curvature_operator().Apply(to.theta - from.theta, &product));
  EXPECT_LT((product - (to.gradient - from.gradient)).norm(), 1e-15);
}

}  // namespace
}  // namespace fisheropt
