#include "fisher/monte_carlo_fisher.h"

#include <gtest/gtest.h>

#include <cmath>

#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

// Relative Frobenius error of the Monte Carlo Fisher with M draws, averaged
// over a few seeds so that the 1/√M law is not hidden by one lucky draw.
double MonteCarloError(const LikelihoodModel& model,
                       const Eigen::VectorXd& theta, int num_samples) {
  Eigen::MatrixXd expected;
  model.ExpectedFisher(theta, &expected);
  double error_sum = 0.0;
  const int seeds = 4;
  for (int seed = 1; seed <= seeds; ++seed) {
    MonteCarloFisher monte_carlo(model, num_samples, 1000 + seed);
    Eigen::MatrixXd estimate;
    std::string error;
    EXPECT_TRUE(monte_carlo.Compute(theta, &estimate, &error)) << error;
    error_sum += RelativeError(estimate, expected);
  }
  return error_sum / seeds;
}

void ExpectInverseSquareRootConvergence(const LikelihoodModel& model,
                                        const Eigen::VectorXd& theta) {
  const double error_10 = MonteCarloError(model, theta, 10);
  const double error_100 = MonteCarloError(model, theta, 100);
  const double error_1000 = MonteCarloError(model, theta, 1000);
  // Each tenfold M divides the error by √10 ≈ 3.16: allow a factor 2 of
  // Monte Carlo slack either way on the ratio.
  EXPECT_GT(error_10 / error_100, 3.16 / 2.0) << model.Name();
  EXPECT_LT(error_10 / error_100, 3.16 * 2.0) << model.Name();
  EXPECT_GT(error_100 / error_1000, 3.16 / 2.0) << model.Name();
  EXPECT_LT(error_100 / error_1000, 3.16 * 2.0) << model.Name();
  EXPECT_LT(error_1000, 0.05) << model.Name();
}

TEST(MonteCarloFisherTest, ConvergesToExpectedFisherLikeInverseSquareRootM) {
  auto logistic = testing::Logistic(100, 3, 8);
  ExpectInverseSquareRootConvergence(*logistic,
                                     Eigen::Vector3d(0.3, -0.5, 0.8));
  auto mvn = testing::Mvn(40, 2, 8);
  Eigen::VectorXd theta(5);
  theta << 0.1, -0.2, 0.3, 0.2, -0.1;
  ExpectInverseSquareRootConvergence(*mvn, theta);
}

TEST(MonteCarloFisherTest, SameSeedSameMatrixOtherSeedOtherMatrix) {
  auto model = testing::Logistic(200, 3, 8);
  const Eigen::Vector3d theta(0.1, 0.2, 0.3);
  Eigen::MatrixXd a, b, c;
  std::string error;
  MonteCarloFisher(*model, 3, 42).Compute(theta, &a, &error);
  MonteCarloFisher(*model, 3, 42).Compute(theta, &b, &error);
  MonteCarloFisher(*model, 3, 43).Compute(theta, &c, &error);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(MonteCarloFisherTest, SuccessiveCallsContinueTheStream) {
  auto model = testing::Logistic(200, 3, 8);
  const Eigen::Vector3d theta(0.1, 0.2, 0.3);
  MonteCarloFisher monte_carlo(*model, 1, 42);
  Eigen::MatrixXd first, second;
  std::string error;
  monte_carlo.Compute(theta, &first, &error);
  monte_carlo.Compute(theta, &second, &error);
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(EstimateMonteCarloFisherTest, MeanMatchesTheCurvatureWithTheSameSeed) {
  auto model = testing::Logistic(300, 3, 6);
  const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(3, -0.4, 0.6);
  MonteCarloFisherEstimate estimate;
  std::string error;
  ASSERT_TRUE(EstimateMonteCarloFisher(*model, theta, 8, 77, &estimate, &error))
      << error;
  MonteCarloFisher curvature(*model, 8, 77);
  Eigen::MatrixXd matrix;
  ASSERT_TRUE(curvature.Compute(theta, &matrix, &error));
  EXPECT_LT(testing::RelativeError(estimate.mean, matrix), 1e-12);
  EXPECT_EQ(estimate.num_draws, 8);
}

TEST(EstimateMonteCarloFisherTest, StandardErrorShrinksLikeInverseSqrtM) {
  // SE(M) · √M estimates the per-draw standard deviation, which does not
  // depend on M: the ratio SE(100)/SE(1600) is √16 = 4 up to the noise of
  // the two standard-deviation estimates (relative error ≈ 1/√(2M) ≈ 7%).
  auto model = testing::Mvn(200, 2, 3);
  const Eigen::VectorXd theta = model->MaximumLikelihoodParameters();
  MonteCarloFisherEstimate small, large;
  std::string error;
  ASSERT_TRUE(EstimateMonteCarloFisher(*model, theta, 100, 5, &small, &error));
  ASSERT_TRUE(EstimateMonteCarloFisher(*model, theta, 1600, 6, &large, &error));
  const double ratio =
      small.standard_error.norm() / large.standard_error.norm();
  EXPECT_NEAR(ratio, 4.0, 0.6);
  // And the standard error is honest: the true error ‖F̂ − F‖ is of the
  // order of the predicted ‖SE‖ (its root mean square under the estimate).
  Eigen::MatrixXd fisher;
  model->ExpectedFisher(theta, &fisher);
  const double actual = (large.mean - fisher).norm();
  const double predicted = large.standard_error.norm();
  EXPECT_LT(actual, 2.5 * predicted);
  EXPECT_GT(actual, 0.3 * predicted);
}

TEST(EstimateMonteCarloFisherTest, OneDrawIsRefused) {
  auto model = testing::Logistic(50, 2, 1);
  MonteCarloFisherEstimate estimate;
  std::string error;
  EXPECT_FALSE(EstimateMonteCarloFisher(*model, Eigen::VectorXd::Zero(2), 1, 1,
                                        &estimate, &error));
  EXPECT_EQ(error,
            "EstimateMonteCarloFisher: num_draws = 1 must be >= 2 to estimate "
            "a standard error");
}

}  // namespace
}  // namespace fisheropt
