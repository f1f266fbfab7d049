// Levenberg–Marquardt (optim/levenberg_marquardt.h): Nielsen's damping of a
// dense curvature, and its Steihaug-CG trust region on curvature products.

#include "optim/levenberg_marquardt.h"

#include <gtest/gtest.h>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/optim/solver_test_problems.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::Options;
using testing::Problem;
using testing::RelativeError;
using testing::TightOptions;

TEST(LevenbergMarquardtTest, DampingShrinksOnGoodSteps) {
  auto problem = Problem("logistic");
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(TightOptions(CurvatureType::kExpectedFisher,
                     StepControlType::kLevenbergMarquardt),
        *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  int resolved_steps = 0;
  for (size_t i = 2; i < summary.iterations.size(); ++i) {
    const IterationSummary& it = summary.iterations[i];
    if (it.cost_change < 1e-12 * it.cost) continue;  // at the rounding floor
    ++resolved_steps;
    // The quadratic model is good from β = 0 on (ρ ≈ 1), so by Nielsen's
    // rule λ shrinks by 3 at every step.
    EXPECT_GT(it.gain_ratio, 0.75);
    EXPECT_NEAR(it.damping, summary.iterations[i - 1].damping / 3.0,
                1e-12 * it.damping);
  }
  EXPECT_GE(resolved_steps, 4);
}

// Matrix-free Levenberg–Marquardt: a Steihaug-CG trust region on Fisher
// products reaches the MLE of the dense form without ever forming C.
TEST(LevenbergMarquardtTest, RunsSteihaugOnProducts) {
  auto problem = Problem("logistic");
  SolverOptions dense = Options(CurvatureType::kExpectedFisher,
                                StepControlType::kLevenbergMarquardt);
  Eigen::VectorXd reference = problem->start;
  SolverSummary summary;
  Solve(dense, *problem->model, &reference, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  EXPECT_EQ(summary.linear_solver, "cholesky");

  SolverOptions options = dense;
  options.linear_solver.type = LinearSolverType::kConjugateGradient;
  Eigen::VectorXd theta = problem->start;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.FullReport();
  EXPECT_EQ(summary.linear_solver, "conjugate_gradient");
  EXPECT_EQ(summary.num_curvature_evaluations, 0);  // never formed C
  EXPECT_GT(summary.num_cg_iterations, 0);
  EXPECT_LT(RelativeError(theta, reference), 1e-8);
  // Every accepted step decreased L and respected its region.
  for (size_t i = 1; i < summary.iterations.size(); ++i) {
    EXPECT_GE(summary.iterations[i].cost_change, 0.0) << i;
    EXPECT_GT(summary.iterations[i].trust_region_radius, 0.0) << i;
  }
}

}  // namespace
}  // namespace fisheropt
