// Reuse of one curvature matrix across iterations (CurvatureReuseOptions):
// the chord variant of Fisher scoring reaches the exact optimum with fewer
// curvature evaluations, and max_age = 1 is plain Fisher scoring.

#include <gtest/gtest.h>

#include "fisher/curvature.h"
#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

std::unique_ptr<CatalogProblem> Problem(const std::string& name) {
  CatalogOptions catalog;
  catalog.logistic_samples = 3000;
  catalog.logistic_parameters = 8;
  catalog.poisson_samples = 2000;
  catalog.poisson_parameters = 5;
  std::string error;
  auto problem = MakeCatalogProblem(name, catalog, &error);
  EXPECT_NE(problem, nullptr) << error;
  return problem;
}

SolverOptions FisherScoring() {
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.stopping.gradient_tolerance = 1e-10;
  options.stopping.function_tolerance = 1e-15;
  return options;
}

TEST(CurvatureReuseTest, ChordFisherScoringReachesTheExactMle) {
  for (const std::string name : {"logistic", "poisson", "probit"}) {
    auto problem = Problem(name);
    Eigen::VectorXd exact = problem->start;
    SolverSummary exact_summary;
    Solve(FisherScoring(), *problem->model, &exact, &exact_summary);
    ASSERT_EQ(exact_summary.termination_type, TerminationType::kConvergence);

    SolverOptions options = FisherScoring();
    options.curvature_reuse.max_age = 1000;
    Eigen::VectorXd theta = problem->start;
    SolverSummary summary;
    Solve(options, *problem->model, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << name << ": " << summary.FullReport();
    // The fixed point depends only on the exact gradient.
    EXPECT_LT(RelativeError(theta, exact), 1e-8) << name;
    EXPECT_NEAR(summary.final_cost, exact_summary.final_cost,
                1e-10 * exact_summary.final_cost)
        << name;
    // Fewer Fisher matrices than iterations (more, cheaper iterations).
    EXPECT_GE(summary.num_curvature_evaluations, 1) << name;
    EXPECT_LT(summary.num_curvature_evaluations, summary.num_iterations())
        << name;
    EXPECT_LT(summary.num_curvature_evaluations,
              exact_summary.num_curvature_evaluations)
        << name;
  }
}

TEST(CurvatureReuseTest, AgeOneIsPlainFisherScoringAndAgeBoundsReuse) {
  auto problem = Problem("logistic");
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

TEST(CurvatureReuseTest, InvalidOptionsAreRefused) {
  SolverOptions options;
  std::string error;
  options.curvature_reuse.max_age = 0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "CurvatureReuseOptions::max_age = 0 must be >= 1");
  options.curvature_reuse.max_age = 5;
  options.curvature_reuse.max_gradient_ratio = 0.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CurvatureReuseOptions::max_gradient_ratio = 0 must be in (0, 1]");
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

// The row-subsampled Fisher (CurvatureOptions::subsample_fraction): unbiased
// for the full matrix, reproducible from its seed, refused where it does not
// exist, and Fisher scoring on it still reaches the exact MLE.
TEST(SubsampledCurvatureTest, UnbiasedReproducibleAndConvergent) {
  auto problem = Problem("logistic");
  const LikelihoodModel& model = *problem->model;
  const Eigen::VectorXd theta =
      Eigen::VectorXd::LinSpaced(model.NumParameters(), -0.3, 0.3);
  Eigen::MatrixXd full;
  ASSERT_TRUE(model.ExpectedFisher(theta, &full));
  CurvatureOptions options;
  options.type = CurvatureType::kExpectedFisher;
  options.subsample_fraction = 0.25;
  std::string error;
  auto curvature = CreateCurvature(options, model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  const int draws = 400;
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(full.rows(), full.cols());
  Eigen::MatrixXd first;
  for (int m = 0; m < draws; ++m) {
    Eigen::MatrixXd draw;
    ASSERT_TRUE(curvature->Compute(theta, &draw, &error)) << error;
    if (m == 0) first = draw;
    mean += draw / draws;
  }
  // One draw is off by about √((1 − f)/(fN)) ≈ 3 % (N = 3000); the mean of
  // 400 by 0.16 %.
  EXPECT_GT((first - full).norm(), 0.005 * full.norm());
  EXPECT_LT((mean - full).norm(), 0.01 * full.norm());
  // The same seed draws the same subsets.
  auto again = CreateCurvature(options, model, &error);
  Eigen::MatrixXd repeat;
  ASSERT_TRUE(again->Compute(theta, &repeat, &error));
  EXPECT_EQ(repeat, first);

  SolverOptions exact_options = FisherScoring();
  Eigen::VectorXd exact = problem->start;
  SolverSummary summary;
  Solve(exact_options, model, &exact, &summary);
  SolverOptions sub_options = FisherScoring();
  sub_options.curvature.subsample_fraction = 0.25;
  Eigen::VectorXd fitted = problem->start;
  Solve(sub_options, model, &fitted, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.FullReport();
  EXPECT_LT(RelativeError(fitted, exact), 1e-8);
}

TEST(SubsampledCurvatureTest, RefusedWhereItDoesNotExist) {
  CurvatureOptions options;
  options.subsample_fraction = 0.0;
  std::string error;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "CurvatureOptions::subsample_fraction = 0 must be in (0, 1]");
  options.subsample_fraction = 0.5;
  auto mvn = Problem("mvn");
  EXPECT_EQ(CreateCurvature(options, *mvn->model, &error), nullptr);
  EXPECT_EQ(error, "model 'mvn' has no row-subsampled expected_fisher");
  auto logistic = Problem("logistic");
  options.type = CurvatureType::kEmpiricalFisher;
  EXPECT_EQ(CreateCurvature(options, *logistic->model, &error), nullptr);
  EXPECT_EQ(error,
            "a row-subsampled empirical_fisher is not available; subsample "
            "the expected_fisher or the hessian");
}

}  // namespace
}  // namespace fisheropt
