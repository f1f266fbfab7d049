#include "fisher/gauss_newton.h"

#include <gtest/gtest.h>

#include <fstream>

#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/nonlinear_regression_model.h"
#include "problems/problem_catalog.h"
#include "problems/synthetic_data.h"
#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

std::unique_ptr<Curvature> Create(CurvatureType type,
                                  const LikelihoodModel& model) {
  CurvatureOptions options;
  options.type = type;
  std::string error;
  auto curvature = CreateCurvature(options, model, &error);
  EXPECT_NE(curvature, nullptr) << error;
  return curvature;
}

TEST(GaussNewtonTest, GlmGaussNewtonIsTheHessianNotTheFisher) {
  // Probit: η = Xβ is linear, so the GGN is the Hessian exactly; the link is
  // not canonical, so away from the MLE both differ from the expected Fisher.
  Dataset data = MakeLogisticRegressionData(2000, 4, 3).data;
  std::string error;
  auto model = GlmModel::Create(data, GlmFamilyType::kBernoulliProbit, &error);
  ASSERT_NE(model, nullptr) << error;
  const Eigen::Vector4d theta(0.4, -0.8, 0.6, 0.2);
  Eigen::MatrixXd ggn, hessian, fisher;
  ASSERT_TRUE(Create(CurvatureType::kGaussNewton, *model)
                  ->Compute(theta, &ggn, &error));
  model->Hessian(theta, &hessian);
  model->ExpectedFisher(theta, &fisher);
  EXPECT_EQ(ggn, hessian);
  EXPECT_GT(RelativeError(ggn, fisher), 1e-3);

  // And Gauss–Newton steps are Newton steps: the same MLE.
  SolverOptions options;
  options.curvature.type = CurvatureType::kGaussNewton;
  options.stopping.function_tolerance = 1e-15;
  Eigen::VectorXd ggn_mle = Eigen::VectorXd::Zero(4);
  SolverSummary summary;
  Solve(options, *model, &ggn_mle, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  EXPECT_EQ(summary.solver, "gauss-newton");
  options.curvature.type = CurvatureType::kHessian;
  Eigen::VectorXd newton_mle = Eigen::VectorXd::Zero(4);
  Solve(options, *model, &newton_mle, &summary);
  EXPECT_LT(RelativeError(ggn_mle, newton_mle), 1e-10);
}

TEST(GaussNewtonTest, NonlinearRegressionGaussNewtonIsJacobianGram) {
  CatalogOptions catalog;
  catalog.nist_directory = FISHEROPT_NIST_DIR;
  std::string error;
  auto problem = MakeCatalogProblem("nist-Misra1a", catalog, &error);
  ASSERT_NE(problem, nullptr) << error;
  Eigen::MatrixXd ggn, fisher;
  ASSERT_TRUE(Create(CurvatureType::kGaussNewton, *problem->model)
                  ->Compute(problem->start, &ggn, &error));
  problem->model->ExpectedFisher(problem->start, &fisher);
  EXPECT_EQ(ggn, fisher);
  // JᵀJ from central differences of the objective's gradient differs from
  // the GGN by Σ r_i ∇²r_i, small at the certified optimum (tiny residuals
  // relative to the curvature).
  const Eigen::VectorXd optimum = *problem->closed_form_optimum;
  problem->model->GaussNewton(optimum, &ggn);
  const Eigen::MatrixXd hessian = testing::CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        double value = 0.0;
        Eigen::VectorXd gradient;
        problem->model->Evaluate(t, &value, &gradient);
        return gradient;
      },
      optimum, 1e-6);
  EXPECT_LT(RelativeError(ggn, hessian), 1e-2);
  EXPECT_GT(RelativeError(ggn, hessian), 1e-8);  // but not equal
}

TEST(GaussNewtonTest, ModelsWithoutAnOutputSplitAreRefused) {
  auto mvn = testing::Mvn(100, 2, 1);
  CurvatureOptions options;
  options.type = CurvatureType::kGaussNewton;
  std::string error;
  EXPECT_EQ(CreateCurvature(options, *mvn, &error), nullptr);
  EXPECT_EQ(error,
            "model 'mvn' has no closed-form gauss_newton; use expected_fisher, "
            "hessian, monte_carlo_fisher or empirical_fisher instead");
  CurvatureType parsed;
  ASSERT_TRUE(FromString("gauss_newton", &parsed));
  EXPECT_EQ(parsed, CurvatureType::kGaussNewton);
}

}  // namespace
}  // namespace fisheropt
