#ifndef FISHEROPT_TESTS_OPTIM_SOLVER_TEST_PROBLEMS_H_
#define FISHEROPT_TESTS_OPTIM_SOLVER_TEST_PROBLEMS_H_

// The small catalog problems and the stopping rules that the solver tests
// (newton_solver, line_search, levenberg_marquardt, kl_trust_region) share.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "optim/solver_options.h"
#include "problems/problem_catalog.h"

namespace fisheropt {
namespace testing {

// Logistic N = 3000, p = 6; MVN d = 4, N = 1000.
inline CatalogOptions SmallCatalog() {
  CatalogOptions options;
  options.logistic_samples = 3000;
  options.logistic_parameters = 6;
  options.mvn_samples = 1000;
  options.mvn_dimension = 4;
  return options;
}

inline std::unique_ptr<CatalogProblem> Problem(
    const std::string& name, const CatalogOptions& catalog = SmallCatalog()) {
  std::string error;
  auto problem = MakeCatalogProblem(name, catalog, &error);
  EXPECT_NE(problem, nullptr) << error;
  return problem;
}

// The catalog's stopping rule: a gradient tolerance of 1e-8, no function
// rule.
inline SolverOptions Options(CurvatureType curvature, StepControlType step) {
  SolverOptions options;
  options.curvature.type = curvature;
  options.step_control = step;
  options.stopping.max_iterations = 1000;
  options.stopping.function_tolerance = 0.0;
  options.stopping.gradient_tolerance = 1e-8;
  options.stopping.parameter_tolerance = 1e-14;
  return options;
}

// Tighter: the function rule at 1e-15 and the gradient at 1e-9.
inline SolverOptions TightOptions(CurvatureType curvature,
                                  StepControlType step) {
  SolverOptions options = Options(curvature, step);
  options.stopping.max_iterations = 500;
  options.stopping.function_tolerance = 1e-15;
  options.stopping.gradient_tolerance = 1e-9;
  return options;
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_OPTIM_SOLVER_TEST_PROBLEMS_H_
