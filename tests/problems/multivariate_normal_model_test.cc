#include "problems/multivariate_normal_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "problems/synthetic_data.h"
#include "tests/problems/model_contract.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::CentralDifferenceJacobian;
using testing::RelativeError;

std::unique_ptr<MultivariateNormalModel> SyntheticMvn(int n, int d) {
  std::string error;
  auto model = MultivariateNormalModel::Create(
      MakeMultivariateNormalData(n, d, 17).samples, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

// A point away from the optimum with every kind of parameter nonzero.
Eigen::VectorXd OffOptimum(const MultivariateNormalModel& model) {
  const int p = model.NumParameters();
  Eigen::VectorXd theta(p);
  for (int j = 0; j < p; ++j) theta[j] = 0.3 * std::sin(1.0 + j);
  return theta;
}

TEST(MultivariateNormalModelTest, ParameterCountAndNames) {
  auto model = SyntheticMvn(50, 3);
  EXPECT_EQ(model->NumParameters(), 3 + 6);
  const std::vector<std::string> names = model->ParameterNames();
  ASSERT_EQ(names.size(), 9u);
  EXPECT_EQ(names[0], "mu[0]");
  EXPECT_EQ(names[3], "log L[0,0]");
  EXPECT_EQ(names[4], "L[1,0]");
  EXPECT_EQ(names[8], "log L[2,2]");
}

TEST(MultivariateNormalModelTest, MomentsRoundTripThroughParameters) {
  auto model = SyntheticMvn(50, 3);
  Eigen::Matrix3d covariance;
  covariance << 2.0, 0.3, -0.4, 0.3, 1.0, 0.2, -0.4, 0.2, 0.5;
  const Eigen::Vector3d mean(1.0, -2.0, 0.5);
  const Eigen::VectorXd theta =
      MultivariateNormalModel::ParametersFromMoments(mean, covariance);
  EXPECT_TRUE(model->Mean(theta).isApprox(mean, 1e-15));
  EXPECT_LT(RelativeError(model->Covariance(theta), covariance), 1e-14);
}

// The LikelihoodModel contract (tests/problems/model_contract.h) in d = 3:
// the MVN has no Gauss–Newton split, no matrix-free products and a Hessian
// that depends on the data.
TEST(MultivariateNormalModelTest, SatisfiesTheModelContract) {
  auto model = SyntheticMvn(200, 3);
  const testing::ModelContractReport report =
      testing::ExpectModelContract(*model, OffOptimum(*model));
  EXPECT_EQ(report.Names(testing::ContractCheckStatus::kSkipped),
            (std::vector<std::string>{"response-free-hessian", "gauss-newton",
                                      "curvature-products",
                                      "approximate-curvature"}));
}

TEST(MultivariateNormalModelTest, HessianMatchesFiniteDifferencesOfGradient) {
  auto model = SyntheticMvn(100, 3);
  const Eigen::VectorXd theta = OffOptimum(*model);
  Eigen::MatrixXd hessian;
  ASSERT_TRUE(model->Hessian(theta, &hessian));
  const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        Eigen::VectorXd g;
        model->Evaluate(t, &v, &g);
        return g;
      },
      theta);
  EXPECT_LT(RelativeError(hessian, numeric), 1e-8);
  EXPECT_EQ(hessian, hessian.transpose());
}

TEST(MultivariateNormalModelTest, ClosedFormMleHasZeroGradient) {
  auto model = SyntheticMvn(500, 4);
  const Eigen::VectorXd mle = model->MaximumLikelihoodParameters();
  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(model->Evaluate(mle, &value, &gradient));
  // Scale: the gradient entries are sums of N terms of order one.
  EXPECT_LT(gradient.lpNorm<Eigen::Infinity>(), 1e-9 * model->NumSamples());
  EXPECT_LT(
      RelativeError(model->Mean(mle),
                    model->ObservedResponses().colwise().mean().transpose()),
      1e-14);
}

TEST(MultivariateNormalModelTest, SampledResponsesHaveTheModelMoments) {
  auto model = SyntheticMvn(50, 3);
  Eigen::Matrix3d covariance;
  covariance << 1.0, 0.5, 0.0, 0.5, 2.0, -0.3, 0.0, -0.3, 0.5;
  const Eigen::Vector3d mean(1.0, 0.0, -1.0);
  const Eigen::VectorXd theta =
      MultivariateNormalModel::ParametersFromMoments(mean, covariance);
  RandomEngine rng(9);
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(3, 3);
  Eigen::VectorXd mean_sum = Eigen::VectorXd::Zero(3);
  const int draws = 400;  // 400 × 50 = 20000 samples
  RowMatrixXd sampled;
  for (int m = 0; m < draws; ++m) {
    model->SampleResponses(theta, &rng, &sampled);
    const RowMatrixXd centered = sampled.rowwise() - mean.transpose();
    sum += centered.transpose() * centered;
    mean_sum += sampled.colwise().sum().transpose();
  }
  const double n = 50.0 * draws;
  // Standard errors: ≈ √(Σ_jj / n) ≤ 0.01 for the mean, ≈ 0.02 for Σ.
  EXPECT_LT((mean_sum / n - mean).cwiseAbs().maxCoeff(), 0.04);
  EXPECT_LT((sum / n - covariance).cwiseAbs().maxCoeff(), 0.08);
}

TEST(MultivariateNormalModelTest, TooFewSamplesIsRejected) {
  std::string error;
  EXPECT_EQ(MultivariateNormalModel::Create(RowMatrixXd::Ones(3, 3), &error),
            nullptr);
  EXPECT_EQ(error,
            "3 samples but 3 variables: mvn needs more samples than variables "
            "(the sample covariance of N <= d samples has rank at most N - 1 "
            "< d, so it is singular and the MLE does not exist)");
}

TEST(MultivariateNormalModelTest, CollinearColumnsAreRejected) {
  RowMatrixXd samples = MakeMultivariateNormalData(40, 3, 1).samples;
  samples.col(2) = 2.0 * samples.col(0) - samples.col(1);
  std::string error;
  EXPECT_EQ(MultivariateNormalModel::Create(samples, &error), nullptr);
  EXPECT_NE(error.find("singular"), std::string::npos) << error;
}

TEST(MultivariateNormalModelTest, NonFiniteSampleIsRejected) {
  RowMatrixXd samples = MakeMultivariateNormalData(40, 3, 1).samples;
  samples(7, 1) = std::nan("");
  std::string error;
  EXPECT_EQ(MultivariateNormalModel::Create(samples, &error), nullptr);
  EXPECT_EQ(error, "non-finite value nan in row 7, column 1");
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(MultivariateNormalExtensionsTest,
     KlDivergenceMatchesTheUnivariateFormula) {
  // d = 1: KL(N(μ1, σ1²) ‖ N(μ2, σ2²)) = log(σ2/σ1)
  //        + (σ1² + (μ1 − μ2)²)/(2σ2²) − ½, times N samples.
  std::string error;
  auto model = MultivariateNormalModel::Create(
      MakeMultivariateNormalData(40, 1, 2).samples, &error);
  ASSERT_NE(model, nullptr) << error;
  const double mu1 = 0.3, sigma1 = 1.7, mu2 = -0.4, sigma2 = 0.8;
  const Eigen::VectorXd theta = MultivariateNormalModel::ParametersFromMoments(
      Eigen::VectorXd::Constant(1, mu1),
      Eigen::MatrixXd::Constant(1, 1, sigma1 * sigma1));
  const Eigen::VectorXd theta2 = MultivariateNormalModel::ParametersFromMoments(
      Eigen::VectorXd::Constant(1, mu2),
      Eigen::MatrixXd::Constant(1, 1, sigma2 * sigma2));
  double kl = 0.0;
  ASSERT_TRUE(model->KlDivergence(theta, theta2, &kl));
  const double expected = 40 * (std::log(sigma2 / sigma1) +
                                (sigma1 * sigma1 + (mu1 - mu2) * (mu1 - mu2)) /
                                    (2 * sigma2 * sigma2) -
                                0.5);
  EXPECT_NEAR(kl, expected, 1e-12 * expected);
  ASSERT_TRUE(model->KlDivergence(theta, theta, &kl));
  EXPECT_NEAR(kl, 0.0, 1e-12);
}

// The MVN's rule is N > d, not N ≥ its d + d(d+1)/2 parameters:
// d + 1 = 4 samples of d = 3 variables (9 parameters) give a positive-
// definite scatter and a model; 3 samples do not.
TEST(MultivariateNormalModelTest, OneMoreSampleThanVariablesIsEnough) {
  const RowMatrixXd samples = MakeMultivariateNormalData(4, 3, 2).samples;
  std::string error;
  auto model = MultivariateNormalModel::Create(samples, &error);
  ASSERT_NE(model, nullptr) << error;
  EXPECT_EQ(model->NumParameters(), 9);
  EXPECT_EQ(MultivariateNormalModel::Create(samples.topRows(3), &error),
            nullptr);
  EXPECT_EQ(error.rfind("3 samples but 3 variables: ", 0), 0u) << error;
}

}  // namespace
}  // namespace fisheropt
