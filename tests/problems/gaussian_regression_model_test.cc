#include "problems/gaussian_regression_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optim/newton_solver.h"
#include "problems/synthetic_data.h"
#include "tests/problems/model_contract.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::CentralDifferenceJacobian;
using testing::RelativeError;

std::unique_ptr<GaussianRegressionModel> Model(int n, int p,
                                               std::uint64_t seed = 3) {
  std::string error;
  auto model = GaussianRegressionModel::Create(
      MakeGaussianRegressionData(n, p, 0.7, seed).data, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

// The LikelihoodModel contract (tests/problems/model_contract.h) on 600 rows
// (two chunks). The model has no HessianAtResponses (F = −E[∇²ℓ] is checked
// through central differences of the score), no KL, no Gauss–Newton split
// (N log σ is no square) and no matrix-free products.
TEST(GaussianRegressionModelTest, SatisfiesTheModelContract) {
  auto model = Model(600, 4);
  const Eigen::VectorXd theta =
      (Eigen::VectorXd(5) << 0.8, 0.3, -0.2, 0.5, -0.1).finished();
  const testing::ModelContractReport report =
      testing::ExpectModelContract(*model, theta);
  EXPECT_EQ(report.Names(testing::ContractCheckStatus::kSkipped),
            (std::vector<std::string>{"response-free-hessian", "kl",
                                      "gauss-newton", "curvature-products",
                                      "approximate-curvature"}));
}

TEST(GaussianRegressionModelTest, HessianMatchesFiniteDifferencesAndNotF) {
  auto model = Model(400, 3);
  const Eigen::VectorXd theta = Eigen::Vector4d(0.2, 0.9, -0.4, 0.3);
  Eigen::MatrixXd hessian, fisher;
  ASSERT_TRUE(model->Hessian(theta, &hessian));
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        Eigen::VectorXd g;
        model->Evaluate(t, &v, &g);
        return g;
      },
      theta);
  EXPECT_LT(RelativeError(hessian, numeric), 1e-8);
  // Away from the MLE the cross terms 2Xᵀr/σ² and 2RSS/σ² ≠ 2n differ from F.
  EXPECT_GT(RelativeError(hessian, fisher), 0.1);
  // F = blockdiag(XᵀX/σ², 2n).
  EXPECT_EQ(fisher(3, 3), 800.0);
  EXPECT_EQ(fisher.col(3).head(3).norm(), 0.0);
  const Eigen::MatrixXd x = model->data().x;
  EXPECT_LT(RelativeError(fisher.topLeftCorner(3, 3),
                          x.transpose() * x * std::exp(-0.6)),
            1e-13);
}

TEST(GaussianRegressionModelTest, SolverReachesTheClosedFormMle) {
  SyntheticRegression synthetic = MakeGaussianRegressionData(800, 4, 0.7, 9);
  Eigen::VectorXd exact;
  std::string error;
  ASSERT_TRUE(GaussianRegressionModel::MaximumLikelihoodParameters(
      synthetic.data, &exact, &error))
      << error;
  auto model = GaussianRegressionModel::Create(synthetic.data, &error);
  // At the MLE: zero gradient, and Hessian = F (Xᵀr = 0, RSS = nσ̂²).
  double value = 0.0;
  Eigen::VectorXd gradient;
  model->Evaluate(exact, &value, &gradient);
  EXPECT_LT(gradient.lpNorm<Eigen::Infinity>(), 1e-9);
  Eigen::MatrixXd hessian, fisher;
  model->Hessian(exact, &hessian);
  model->ExpectedFisher(exact, &fisher);
  EXPECT_LT(RelativeError(hessian, fisher), 1e-12);
  for (CurvatureType curvature :
       {CurvatureType::kHessian, CurvatureType::kExpectedFisher}) {
    SolverOptions options;
    options.curvature.type = curvature;
    options.stopping.function_tolerance = 0.0;
    options.stopping.gradient_tolerance = 1e-10;
    options.stopping.parameter_tolerance = 0.0;
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(5);
    SolverSummary summary;
    Solve(options, *model, &theta, &summary);
    EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.message;
    EXPECT_LT((theta - exact).cwiseAbs().maxCoeff(), 1e-8);
  }
}

TEST(GaussianRegressionModelTest, MleHelperReportsDegenerateData) {
  Dataset data;
  data.x.resize(4, 2);
  data.x << 1, 2, 1, 2, 1, 2, 1, 2;  // column 1 = 2 × column 0
  data.y = Eigen::Vector4d(1, 2, 3, 4);
  Eigen::VectorXd theta;
  std::string error;
  EXPECT_FALSE(GaussianRegressionModel::MaximumLikelihoodParameters(
      data, &theta, &error));
  EXPECT_EQ(error, "design matrix is rank deficient: rank 1 < 2 columns");
  data.x.col(1) << 0, 1, 2, 3;
  data.y = Eigen::Vector4d(1, 3, 5, 7);  // exactly 1 + 2x
  EXPECT_FALSE(GaussianRegressionModel::MaximumLikelihoodParameters(
      data, &theta, &error));
  EXPECT_EQ(error, "the fit is exact (RSS = 0 to rounding): log(sigma) = -inf");
  data.weights = Eigen::Vector4d::Ones();
  EXPECT_EQ(GaussianRegressionModel::Create(data, &error), nullptr);
  EXPECT_EQ(error,
            "gaussian-regression does not support prior weights or an offset");
}

TEST(GaussianRegressionModelTest, ParameterNamesEndWithLogSigma) {
  auto model = Model(10, 2);
  const std::vector<std::string> names = model->ParameterNames();
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names[0], "(Intercept)");
  EXPECT_EQ(names[2], "log(sigma)");
}

// Fewer observations than the p + 1 parameters: with N ≤ p the
// least-squares fit is exact and log σ has no MLE. N = p + 1 is accepted.
TEST(GaussianRegressionModelTest, FewerObservationsThanParametersAreRefused) {
  Dataset data = MakeGaussianRegressionData(4, 3, 0.7, 5).data;
  std::string error;
  EXPECT_NE(GaussianRegressionModel::Create(data, &error), nullptr) << error;
  data.x.conservativeResize(3, 3);
  data.y.conservativeResize(3);
  EXPECT_EQ(GaussianRegressionModel::Create(data, &error), nullptr);
  EXPECT_EQ(error,
            "3 observations but 4 parameters: gaussian-regression needs more "
            "observations than coefficients (with N <= 3 the least-squares "
            "fit is exact, sigma-hat = 0 and log(sigma) has no MLE)");
}

}  // namespace
}  // namespace fisheropt
