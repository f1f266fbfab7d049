// Reuse of one curvature matrix across iterations (CurvatureReuseOptions):
// the chord variant of Fisher scoring reaches the exact optimum with fewer
// curvature evaluations, and max_age = 1 is plain Fisher scoring.

#include <gtest/gtest.h>

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
