#include "optim/line_search.h"

#include <cmath>

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(ArmijoLineSearchTest, AcceptsTheFullStepWhenItDecreasesEnough) {
  // φ(α) = (α − 1)²: the full step is the exact minimizer.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(
      [](double a, double* v) {
        *v = (a - 1) * (a - 1);
        return true;
      },
      1.0, -2.0);
  ASSERT_TRUE(result.success);
  EXPECT_EQ(result.step_size, 1.0);
  EXPECT_EQ(result.num_evaluations, 1);
}

TEST(ArmijoLineSearchTest, BacktracksToTheQuadraticMinimizer) {
  // φ(α) = (α − 0.1)² − 0.01: φ(0) = 0, φ'(0) = −0.2. The quadratic
  // interpolant through φ(0), φ'(0), φ(1) is φ itself, so one backtrack lands
  // on α = 0.1 exactly, which satisfies the Armijo condition.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(
      [](double a, double* v) {
        *v = (a - 0.1) * (a - 0.1) - 0.01;
        return true;
      },
      0.0, -0.2);
  ASSERT_TRUE(result.success);
  EXPECT_NEAR(result.step_size, 0.1, 1e-15);
  EXPECT_EQ(result.num_evaluations, 2);
  EXPECT_LE(result.value, 0.0 + 1e-4 * result.step_size * -0.2);
}

TEST(ArmijoLineSearchTest, NonFiniteTrialHalvesTheStep) {
  // Outside the domain (α > 0.3) the function is not finite.
  ArmijoLineSearch search{LineSearchOptions()};
  const auto result = search.Search(
      [](double a, double* v) {
        *v = -a;
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
      [](double a, double* v) {
        *v = a;
        return true;
      },
      0.0, -1.0);
  EXPECT_FALSE(result.success);
  EXPECT_EQ(result.num_evaluations, 7);
}

}  // namespace
}  // namespace fisheropt
