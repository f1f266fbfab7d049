#ifndef FISHEROPT_TESTS_EXACT_MLE_H_
#define FISHEROPT_TESTS_EXACT_MLE_H_

// Every cheaper-than-exact curvature (a reused, secant-corrected,
// subsampled or single-precision Fisher) must still reach the exact MLE,
// because the steps use the exact gradient. These helpers give the exact
// fit and the check, on small catalog GLMs.

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <memory>
#include <string>

#include "optim/newton_solver.h"
#include "problems/problem_catalog.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace testing {

// Logistic (N = 3000, p = 8), Poisson (N = 2000, p = 5) and the other
// catalog problems at their defaults.
inline std::unique_ptr<CatalogProblem> ExactMleProblem(
    const std::string& name) {
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

inline SolverOptions FisherScoring() {
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.stopping.gradient_tolerance = 1e-10;
  options.stopping.function_tolerance = 1e-15;
  return options;
}

// The exact MLE, by Fisher scoring with the exact matrix.
struct ExactFit {
  Eigen::VectorXd theta;
  SolverSummary summary;
};

inline ExactFit FitExactly(const LikelihoodModel& model,
                           const Eigen::VectorXd& start) {
  ExactFit fit{start, SolverSummary()};
  Solve(FisherScoring(), model, &fit.theta, &fit.summary);
  EXPECT_EQ(fit.summary.termination_type, TerminationType::kConvergence)
      << fit.summary.FullReport();
  return fit;
}

// Solves with `options` from `start` and expects the exact MLE: θ to 1e-8
// relative, the NLL to 1e-10 relative.
inline SolverSummary ExpectTheExactMle(const SolverOptions& options,
                                       const LikelihoodModel& model,
                                       const Eigen::VectorXd& start,
                                       const ExactFit& exact,
                                       const std::string& label) {
  Eigen::VectorXd theta = start;
  SolverSummary summary;
  Solve(options, model, &theta, &summary);
  EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
      << label << ": " << summary.FullReport();
  EXPECT_LT(RelativeError(theta, exact.theta), 1e-8) << label;
  EXPECT_NEAR(summary.final_cost, exact.summary.final_cost,
              1e-10 * std::abs(exact.summary.final_cost))
      << label;
  return summary;
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_EXACT_MLE_H_
