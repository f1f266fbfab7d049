// The structured (diagonal, block-diagonal) curvatures drive the solver to
// the MVN's closed-form MLE: they are PSD, so each step is a descent
// direction and the line search globalizes it.

#include <gtest/gtest.h>

#include "fisher/curvature.h"
#include "optim/newton_solver.h"
#include "problems/multivariate_normal_model.h"
#include "problems/problem_catalog.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

class StructuredMvnTest : public ::testing::TestWithParam<
                              std::tuple<CurvatureType, CurvatureStructure>> {};

TEST_P(StructuredMvnTest, ReachesClosedFormMle) {
  CatalogOptions catalog;
  catalog.mvn_samples = 1000;
  catalog.mvn_dimension = 3;
  std::string error;
  auto problem = MakeCatalogProblem("mvn", catalog, &error);
  ASSERT_NE(problem, nullptr) << error;
  SolverOptions options;
  options.curvature.type = std::get<0>(GetParam());
  options.curvature.structure = std::get<1>(GetParam());
  options.stopping.max_iterations = 2000;
  options.stopping.function_tolerance = 0.0;
  options.stopping.gradient_tolerance = 1e-9;
  options.stopping.parameter_tolerance = 0.0;
  Eigen::VectorXd theta = problem->start;
  SolverSummary summary;
  Solve(options, *problem->model, &theta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.FullReport();
  EXPECT_LT(testing::RelativeError(theta, *problem->closed_form_optimum), 1e-8)
      << summary.FullReport();
}

std::string ParamName(const ::testing::TestParamInfo<
                      std::tuple<CurvatureType, CurvatureStructure>>& info) {
  return ToString(std::get<0>(info.param)) + "_" +
         ToString(std::get<1>(info.param));
}

INSTANTIATE_TEST_SUITE_P(
    DiagonalAndBlockDiagonal, StructuredMvnTest,
    ::testing::Combine(::testing::Values(CurvatureType::kExpectedFisher,
                                         CurvatureType::kHessian),
                       ::testing::Values(CurvatureStructure::kDiagonal,
                                         CurvatureStructure::kBlockDiagonal)),
    ParamName);

}  // namespace
}  // namespace fisheropt
