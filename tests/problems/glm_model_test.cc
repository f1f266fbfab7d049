#include "problems/glm_model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "problems/synthetic_data.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::CentralDifferenceGradient;
using testing::CentralDifferenceJacobian;

std::unique_ptr<GlmModel> SyntheticLogistic(int n, int p) {
  std::string error;
  auto model = GlmModel::Create(MakeLogisticRegressionData(n, p, 11).data,
                                GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

TEST(GlmModelTest, ScoresMatchFiniteDifferencesPerSample) {
  auto model = SyntheticLogistic(40, 4);
  const Eigen::VectorXd theta = Eigen::Vector4d(0.3, -0.7, 1.1, 0.2);
  Eigen::MatrixXd scores;
  model->Scores(theta, model->ObservedResponses(), 0, 40, &scores);
  const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        Eigen::VectorXd log_likelihoods;
        model->LogLikelihoods(t, model->ObservedResponses(), 0, 40,
                              &log_likelihoods);
        return log_likelihoods;
      },
      theta);
  EXPECT_LT((scores - numeric).cwiseAbs().maxCoeff(), 1e-8);
}

TEST(GlmModelTest, GradientIsMinusSummedScoresAndMatchesFiniteDifferences) {
  auto model = SyntheticLogistic(3 * 512 + 5, 5);  // several chunks
  const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(5, -0.5, 0.5);
  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(model->Evaluate(theta, &value, &gradient));

  Eigen::VectorXd log_likelihoods;
  model->LogLikelihoods(theta, model->ObservedResponses(), 0,
                        model->NumSamples(), &log_likelihoods);
  EXPECT_NEAR(value, -log_likelihoods.sum(), 1e-10 * std::abs(value));
  Eigen::MatrixXd scores;
  model->Scores(theta, model->ObservedResponses(), 0, model->NumSamples(),
                &scores);
  EXPECT_LT((gradient + scores.colwise().sum().transpose()).norm(),
            1e-10 * gradient.norm());

  const Eigen::VectorXd numeric = CentralDifferenceGradient(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        model->Evaluate(t, &v, nullptr);
        return v;
      },
      theta);
  EXPECT_LT((gradient - numeric).norm(), 1e-6 * gradient.norm());
}

TEST(GlmModelTest, HessianMatchesFiniteDifferencesOfGradient) {
  auto model = SyntheticLogistic(300, 4);
  const Eigen::VectorXd theta = Eigen::Vector4d(0.1, 0.4, -0.3, 0.8);
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
  EXPECT_LT((hessian - numeric).norm(), 1e-7 * hessian.norm());
}

TEST(GlmModelTest, ResponseOutsideSupportIsRejected) {
  Dataset data = MakeLogisticRegressionData(10, 2, 3).data;
  data.y[4] = 2.0;
  std::string error;
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error),
            nullptr);
  EXPECT_EQ(error,
            "response 2 in row 4 is outside the support of the logistic model");
}

TEST(GlmModelTest, NonFiniteDataIsRejectedWithItsLocation) {
  Dataset data = MakeLogisticRegressionData(10, 3, 3).data;
  data.x(6, 2) = std::numeric_limits<double>::infinity();
  std::string error;
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error),
            nullptr);
  EXPECT_EQ(error, "non-finite value inf in row 6, column 'x2'");
}

TEST(GlmModelTest, SampledResponsesFollowTheModelMean) {
  auto model = SyntheticLogistic(20000, 3);
  const Eigen::VectorXd theta = Eigen::Vector3d(0.5, 0.0, 0.0);
  RandomEngine rng(5);
  RowMatrixXd sampled;
  model->SampleResponses(theta, &rng, &sampled);
  // With β = (0.5, 0, 0) every P(y = 1) = σ(0.5); the sample mean has a
  // standard error of √(μ(1 − μ)/N) ≈ 0.0034.
  const double mu = Sigmoid(0.5);
  EXPECT_NEAR(sampled.mean(), mu, 4.0 * std::sqrt(mu * (1 - mu) / 20000.0));
  EXPECT_TRUE((sampled.array() == 0.0 || sampled.array() == 1.0).all());
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(GlmModelExtensionsTest, LogisticKlIsTheSumOfBernoulliKls) {
  std::string error;
  auto model = GlmModel::Create(MakeLogisticRegressionData(60, 3, 4).data,
                                GlmFamilyType::kBernoulliLogit, &error);
  ASSERT_NE(model, nullptr) << error;
  const Eigen::Vector3d theta(0.2, -0.5, 1.0), theta2(-0.1, 0.4, 0.7);
  double expected = 0.0;
  for (int i = 0; i < 60; ++i) {
    const double p = 1.0 / (1.0 + std::exp(-model->data().x.row(i).dot(theta)));
    const double q =
        1.0 / (1.0 + std::exp(-model->data().x.row(i).dot(theta2)));
    expected += p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q));
  }
  double kl = 0.0;
  ASSERT_TRUE(model->KlDivergence(theta, theta2, &kl));
  EXPECT_NEAR(kl, expected, 1e-12 * expected);
  EXPECT_TRUE(model->HessianIsResponseFree());
  Eigen::MatrixXd hessian, at_responses;
  model->Hessian(theta, &hessian);
  model->HessianAtResponses(theta, model->ObservedResponses(), &at_responses);
  EXPECT_EQ(hessian, at_responses);
}

}  // namespace
}  // namespace fisheropt
