#include "optim/line_search.h"

#include <gtest/gtest.h>

#include <cmath>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/optim/solver_test_problems.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::Options;
using testing::Problem;
using testing::RelativeError;

// φ(α) = (α − m)² + shift, with φ'(α) = 2(α − m).
LineSearch::Function Parabola(double minimizer, double shift = 0.0) {
  return [minimizer, shift](double a, double* v, double* d) {
    *v = (a - minimizer) * (a - minimizer) + shift;
    *d = 2.0 * (a - minimizer);
    return true;
  };
}

LineSearchOptions Wolfe() {
  LineSearchOptions options;
  options.type = LineSearchType::kWolfe;
  return options;
}

// Both conditions of the strong Wolfe pair at the returned step.
void ExpectStrongWolfe(const LineSearch::Function& phi, double value,
                       double slope, const LineSearch::Result& result,
                       const LineSearchOptions& options) {
  ASSERT_TRUE(result.success);
  double v = 0.0, d = 0.0;
  ASSERT_TRUE(phi(result.step_size, &v, &d));
  EXPECT_EQ(v, result.value);
  EXPECT_EQ(d, result.derivative);
  EXPECT_LE(v, value + options.sufficient_decrease * result.step_size * slope);
  EXPECT_LE(std::abs(d), -options.sufficient_curvature_decrease * slope);
  EXPECT_TRUE(result.curvature_condition_met);
}

TEST(ArmijoLineSearchTest, AcceptsTheFullStepWhenItDecreasesEnough) {
  // φ(α) = (α − 1)²: the full step is the exact minimizer.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(Parabola(1.0), 1.0, -2.0);
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.step_size, 1.0);
  EXPECT_EQ(result.num_evaluations, 1);
}

TEST(ArmijoLineSearchTest, BacktracksToTheQuadraticMinimizer) {
  // φ(α) = (α − 0.1)² − 0.01: φ(0) = 0, φ'(0) = −0.2. The quadratic
  // interpolant through φ(0), φ'(0), φ(1) is φ itself, so one backtrack lands
  // on α = 0.1 exactly, which satisfies the Armijo condition.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(Parabola(0.1, -0.01), 0.0, -0.2);
  ASSERT_TRUE(result.success);
  EXPECT_NEAR(result.step_size, 0.1, 1e-15);
  EXPECT_EQ(result.num_evaluations, 2);
  EXPECT_LE(result.value, 0.0 + 1e-4 * result.step_size * -0.2);
}

TEST(ArmijoLineSearchTest, NonFiniteTrialHalvesTheStep) {
  // Outside the domain (α > 0.3) the function is not finite.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(
      [](double a, double* v, double* d) {
        *v = -a;
        *d = -1.0;
        return a <= 0.3;
      },
      0.0, -1.0);
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.step_size, 0.25);  // 1 → 0.5 → 0.25
  EXPECT_EQ(result.num_evaluations, 3);
}

TEST(ArmijoLineSearchTest, FailsWithinTheEvaluationBudget) {
  // An ascent "direction": no step size satisfies the condition.
  LineSearchOptions options;
  options.max_evaluations = 7;
  ArmijoLineSearch search(options);
  const auto result = search.Search(
      [](double a, double* v, double* d) {
        *v = a;
        *d = 1.0;
        return true;
      },
      0.0, -1.0);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.num_evaluations, 7);
}

TEST(LineSearchTest, RefusesANonDescentDirectionWithoutEvaluating) {
  for (const LineSearchOptions& options : {LineSearchOptions(), Wolfe()}) {
    const auto search = LineSearch::Create(options);
    const auto result = search->Search(Parabola(1.0), 1.0, 0.5);
    EXPECT_FALSE(result.success);
    EXPECT_EQ(result.num_evaluations, 0);
  }
}

TEST(LineSearchTest, FactoryHonoursTheType) {
  EXPECT_EQ(LineSearch::Create(LineSearchOptions())->type(),
            LineSearchType::kArmijo);
  EXPECT_EQ(LineSearch::Create(Wolfe())->type(), LineSearchType::kWolfe);
}

TEST(WolfeLineSearchTest, AcceptsTheFullNewtonStep) {
  // φ(α) = (α − 1)²: φ'(1) = 0, both conditions hold at α = 1.
  const auto phi = Parabola(1.0);
  WolfeLineSearch search(Wolfe());
  const auto result = search.Search(phi, 1.0, -2.0);
  ExpectStrongWolfe(phi, 1.0, -2.0, result, Wolfe());
  EXPECT_EQ(result.step_size, 1.0);
  EXPECT_EQ(result.num_evaluations, 1);
}

TEST(WolfeLineSearchTest, ExpandsAShortStep) {
  // φ(α) = (α − 20)²: φ(0) = 400, φ'(0) = −40. At α = 1, φ' = −38 breaks
  // |φ'| ≤ 0.9 · 40, and φ' < 0: the step expands. The cubic through
  // (0, 1) is φ itself, minimizer 20, clamped to 10 · 1; at α = 10,
  // |φ'| = 20 ≤ 36 and φ = 100 ≤ 400 − 4e-3 · 10 · 40: accepted.
  const auto phi = Parabola(20.0);
  WolfeLineSearch search(Wolfe());
  const auto result = search.Search(phi, 400.0, -40.0);
  ExpectStrongWolfe(phi, 400.0, -40.0, result, Wolfe());
  EXPECT_EQ(result.step_size, 10.0);
  EXPECT_EQ(result.num_evaluations, 2);
  // Armijo takes the full step here, with |φ'(1)| = 38 ≈ |φ'(0)|.
  ArmijoLineSearch armijo{LineSearchOptions()};
  EXPECT_EQ(armijo.Search(phi, 400.0, -40.0).step_size, 1.0);
}

TEST(WolfeLineSearchTest, ZoomsOntoTheMinimizerOfAParabola) {
  // φ(α) = (α − 0.1)² − 0.01: α = 1 fails sufficient decrease, the cubic
  // through (0, 1) is φ itself and lands on α = 0.1, where φ' = 0.
  const auto phi = Parabola(0.1, -0.01);
  WolfeLineSearch search(Wolfe());
  const auto result = search.Search(phi, 0.0, -0.2);
  ExpectStrongWolfe(phi, 0.0, -0.2, result, Wolfe());
  EXPECT_NEAR(result.step_size, 0.1, 1e-15);
  EXPECT_EQ(result.num_evaluations, 2);
}

TEST(WolfeLineSearchTest, TightCurvatureConditionOnAQuartic) {
  // φ(α) = α⁴ − 4α (minimizer α = 1, φ'(0) = −4) from a step that starts
  // too short: a tight c₂ = 0.1 forces bracketing and zoom with cubics that
  // are not exact. The conditions hold at the returned step; the count is
  // pinned (deterministic).
  const LineSearch::Function phi = [](double a, double* v, double* d) {
    *v = std::pow(a, 4) - 4.0 * a;
    *d = 4.0 * std::pow(a, 3) - 4.0;
    return true;
  };
  // Scale the direction by 1/4: ψ(α) = φ(α/4), ψ'(0) = −1.
  const LineSearch::Function psi = [&](double a, double* v, double* d) {
    phi(0.25 * a, v, d);
    *d *= 0.25;
    return true;
  };
  LineSearchOptions options = Wolfe();
  options.sufficient_curvature_decrease = 0.1;
  WolfeLineSearch search(options);
  const auto result = search.Search(psi, 0.0, -1.0);
  ExpectStrongWolfe(psi, 0.0, -1.0, result, options);
  EXPECT_NEAR(result.step_size, 4.0, 0.4);
  EXPECT_EQ(result.num_evaluations, 3);  // 1, an expansion, one zoom
}

TEST(WolfeLineSearchTest, NonFiniteTrialContractsByBisection) {
  // φ(α) = (α − 0.2)², finite only for α ≤ 0.3. α = 1 is outside; the
  // bracket [0, 1] has no finite end at 1, so zoom bisects to 0.5 (outside),
  // then 0.25 (inside: φ' = 0.1 ≤ 0.9 · 0.4).
  const LineSearch::Function phi = [](double a, double* v, double* d) {
    *v = (a - 0.2) * (a - 0.2);
    *d = 2.0 * (a - 0.2);
    return a <= 0.3;
  };
  WolfeLineSearch search(Wolfe());
  const auto result = search.Search(phi, 0.04, -0.4);
  ExpectStrongWolfe(phi, 0.04, -0.4, result, Wolfe());
  EXPECT_EQ(result.step_size, 0.25);
  EXPECT_EQ(result.num_evaluations, 3);
}

TEST(WolfeLineSearchTest, BudgetExhaustedReturnsTheBestArmijoPoint) {
  // c₂ tiny: the zoom cannot meet |φ'| ≤ c₂|φ'(0)| in 3 evaluations on a
  // quartic, so the low end of the bracket (sufficient decrease, φ < φ(0))
  // is returned, flagged.
  const LineSearch::Function phi = [](double a, double* v, double* d) {
    *v = std::pow(a - 0.3, 4) - std::pow(0.3, 4);
    *d = 4.0 * std::pow(a - 0.3, 3);
    return true;
  };
  LineSearchOptions options = Wolfe();
  options.sufficient_curvature_decrease = 1e-3;
  options.max_evaluations = 3;
  WolfeLineSearch search(options);
  const double slope = -4.0 * std::pow(0.3, 3);
  const auto result = search.Search(phi, 0.0, slope);
  ASSERT_TRUE(result.success);
  EXPECT_FALSE(result.curvature_condition_met);
  EXPECT_EQ(result.num_evaluations, 3);
  EXPECT_LE(result.value,
            options.sufficient_decrease * result.step_size * slope);
}

// LineSearchStep inside the solver: the small logistic and MVN problems
// (tests/optim/solver_test_problems.h) from the catalog starts.
TEST(WolfeSolverTest, FisherScoringWithWolfeTakesFullStepsOnLogistic) {
  // Newton-like directions: the full step meets the strong Wolfe conditions
  // (c₂ = 0.9) at every iteration, so Wolfe costs what Armijo costs.
  auto problem = Problem("logistic");
  SolverOptions options =
      Options(CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  options.line_search.type = LineSearchType::kWolfe;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  EXPECT_EQ(summary.num_cost_evaluations, summary.num_iterations() + 1);
  for (size_t i = 1; i < summary.iterations.size(); ++i) {
    EXPECT_EQ(summary.iterations[i].step_size, 1.0);
  }
}

TEST(WolfeSolverTest, EmpiricalFisherOnMvnNeedsTheWolfeSteps) {
  // The empirical Fisher's direction is badly scaled on the MVN from Σ = I;
  // Wolfe still converges, never uphill.
  auto problem = Problem("mvn");
  SolverOptions options =
      Options(CurvatureType::kEmpiricalFisher, StepControlType::kLineSearch);
  options.line_search.type = LineSearchType::kWolfe;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.FullReport();
  EXPECT_LT(RelativeError(theta, *problem->closed_form_optimum), 1e-8);
  for (size_t i = 1; i < summary.iterations.size(); ++i) {
    EXPECT_GE(summary.iterations[i].cost_change, 0.0);
  }
}
}  // namespace
}  // namespace fisheropt
