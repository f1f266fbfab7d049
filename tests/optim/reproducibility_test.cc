// Same inputs and seed → bit-identical results; the thread count changes
// only the order of the chunk sums (documented tolerance: 1e-12 relative).

#include <gtest/gtest.h>
#include <omp.h>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"

namespace fisheropt {
namespace {

std::unique_ptr<CatalogProblem> Logistic() {
  CatalogOptions catalog;
  catalog.logistic_samples = 4000;  // several chunks per thread
  catalog.logistic_parameters = 8;
  std::string error;
  return MakeCatalogProblem("logistic", catalog, &error);
}

SolverSummary SolveWith(const CatalogProblem& problem, CurvatureType type,
                        Eigen::VectorXd* theta) {
  SolverOptions options;
  options.curvature.type = type;
  options.curvature.seed = 77;
  options.stopping.function_tolerance = 1e-14;
  *theta = problem.start;
  SolverSummary summary;
  Solve(options, *problem.model, theta, &summary);
  return summary;
}

TEST(ReproducibilityTest, SameSeedGivesBitIdenticalRunsAndTraces) {
  auto problem = Logistic();
  Eigen::VectorXd first, second;
  const SolverSummary a =
      SolveWith(*problem, CurvatureType::kMonteCarloFisher, &first);
  const SolverSummary b =
      SolveWith(*problem, CurvatureType::kMonteCarloFisher, &second);
  EXPECT_EQ(first, second);
  ASSERT_EQ(a.iterations.size(), b.iterations.size());
  for (size_t i = 0; i < a.iterations.size(); ++i) {
    EXPECT_EQ(a.iterations[i].cost, b.iterations[i].cost);
    EXPECT_EQ(a.iterations[i].gradient_max_norm,
              b.iterations[i].gradient_max_norm);
    EXPECT_EQ(a.iterations[i].step_norm, b.iterations[i].step_norm);
    EXPECT_EQ(a.iterations[i].quadratic_form, b.iterations[i].quadratic_form);
  }
}

TEST(ReproducibilityTest, ThreadCountChangesResultsOnlyByRounding) {
  auto problem = Logistic();
  const int saved = omp_get_max_threads();
  Eigen::VectorXd one_thread, two_threads;
  omp_set_num_threads(1);
  const SolverSummary a =
      SolveWith(*problem, CurvatureType::kExpectedFisher, &one_thread);
  omp_set_num_threads(2);
  const SolverSummary b =
      SolveWith(*problem, CurvatureType::kExpectedFisher, &two_threads);
  omp_set_num_threads(saved);
  EXPECT_EQ(a.num_iterations(), b.num_iterations());
  EXPECT_LT((one_thread - two_threads).norm(), 1e-12 * one_thread.norm());
  EXPECT_NEAR(a.final_cost, b.final_cost, 1e-12 * a.final_cost);
}

}  // namespace
}  // namespace fisheropt
