#include "fisher/expected_fisher.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>

#include "fisher/observed_information.h"
#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

TEST(ExpectedFisherTest, LogisticHessianEqualsExpectedFisherExactly) {
  // Canonical link: −d²ℓ/dη² = μ(1 − μ) does not depend on y, so the observed
  // and expected information are the same matrix, bit for bit.
  auto model = testing::Logistic(2000, 6, 3);
  const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(6, -1.0, 1.0);
  Eigen::MatrixXd hessian, fisher;
  std::string error;
  ASSERT_TRUE(ObservedInformation(*model).Compute(theta, &hessian, &error));
  ASSERT_TRUE(ExpectedFisherCurvature(*model).Compute(theta, &fisher, &error));
  EXPECT_EQ(hessian, fisher);
}

TEST(ExpectedFisherTest, MvnHessianDiffersAwayFromTheMleAndAgreesAtIt) {
  auto model = testing::Mvn(400, 3, 5);
  const Eigen::VectorXd mle = model->MaximumLikelihoodParameters();
  Eigen::MatrixXd hessian, fisher;
  model->Hessian(mle, &hessian);
  model->ExpectedFisher(mle, &fisher);
  EXPECT_LT(RelativeError(hessian, fisher), 1e-10);

  const Eigen::VectorXd away = mle + Eigen::VectorXd::Constant(mle.size(), 0.2);
  model->Hessian(away, &hessian);
  model->ExpectedFisher(away, &fisher);
  EXPECT_GT(RelativeError(hessian, fisher), 0.1);
}

TEST(ExpectedFisherTest, FisherIsMinusExpectedHessianOverSampledData) {
  // F(θ) = −E_p[∇² log p]: average the observed information of data sets
  // drawn from the model at θ. The Hessian is linear in the data's first and
  // second moments, so the average converges like 1/√(datasets · N).
  auto reference_model = testing::Mvn(50, 2, 7);
  const int p = reference_model->NumParameters();
  Eigen::VectorXd theta(p);
  theta << 0.5, -0.25, 0.1, 0.3, -0.2;
  Eigen::MatrixXd fisher;
  reference_model->ExpectedFisher(theta, &fisher);

  RandomEngine rng(123);
  Eigen::MatrixXd average = Eigen::MatrixXd::Zero(p, p);
  const int datasets = 400;
  RowMatrixXd sampled;
  for (int m = 0; m < datasets; ++m) {
    reference_model->SampleResponses(theta, &rng, &sampled);
    std::string error;
    auto model = MultivariateNormalModel::Create(sampled, &error);
    ASSERT_NE(model, nullptr) << error;
    Eigen::MatrixXd hessian;
    model->Hessian(theta, &hessian);
    average += hessian / datasets;
  }
  // 20000 samples in all: a relative Monte Carlo error of order 1/√20000.
  EXPECT_LT(RelativeError(average, fisher), 0.03);
}

TEST(ExpectedFisherTest, MeanScoreUnderTheModelIsZero) {
  // E_p[s(θ)] = 0 at every θ, not only at the optimum: sample responses from
  // the model at θ and average the summed score. Each draw's score sum has
  // covariance F(θ), so the mean of M draws is within a few F_jj/√M.
  for (int which = 0; which < 2; ++which) {
    std::unique_ptr<LikelihoodModel> model;
    if (which == 0) {
      model = testing::Logistic(300, 4, 9);
    } else {
      model = testing::Mvn(300, 2, 9);
    }
    const int p = model->NumParameters();
    Eigen::VectorXd theta(p);
    for (int j = 0; j < p; ++j) theta[j] = 0.2 * std::cos(j + 1.0);
    Eigen::MatrixXd fisher;
    model->ExpectedFisher(theta, &fisher);

    RandomEngine rng(31);
    const int draws = 400;
    Eigen::VectorXd mean = Eigen::VectorXd::Zero(p);
    RowMatrixXd sampled;
    Eigen::MatrixXd scores;
    for (int m = 0; m < draws; ++m) {
      model->SampleResponses(theta, &rng, &sampled);
      model->Scores(theta, sampled, 0, model->NumSamples(), &scores);
      mean += scores.colwise().sum().transpose() / draws;
    }
    const Eigen::VectorXd standard_error =
        (fisher.diagonal() / draws).cwiseSqrt();
    for (int j = 0; j < p; ++j) {
      EXPECT_LT(std::abs(mean[j]), 4.0 * standard_error[j])
          << model->Name() << " parameter " << j;
    }
    // The observed data's score at the same θ is far from zero: the
    // identity holds under the model, not under arbitrary data.
    Eigen::MatrixXd observed_scores;
    model->Scores(theta, model->ObservedResponses(), 0, model->NumSamples(),
                  &observed_scores);
    const Eigen::VectorXd observed_sum =
        observed_scores.colwise().sum().transpose();
    EXPECT_GT((observed_sum.cwiseQuotient(fisher.diagonal().cwiseSqrt()))
                  .cwiseAbs()
                  .maxCoeff(),
              4.0)
        << model->Name();
  }
}

TEST(ExpectedFisherTest, InverseFisherAtMleGivesRGlmStandardErrors) {
  // Reference: R 4.2 (Debian r-base-core),
  //   i <- 1:30; x1 <- (i - 15.5) / 10; x2 <- cos(i)
  //   y <- c(0,0,1,0,0,1,0,0,1,1, 0,1,0,1,1,0,1,1,0,1, 1,1,0,1,1,1,0,1,1,1)
  //   control <- glm.control(epsilon = 1e-14, maxit = 100)
  //   fit <- glm(y ~ x1 + x2, family = binomial, control = control)
  //   # glm's vcov uses the IRLS weights of the penultimate iterate (off by
  //   # ~4e-9 here); one more fit from the converged point evaluates them at
  //   # the MLE itself:
  //   refit <- glm(y ~ x1 + x2, family = binomial, start = coef(fit),
  //                control = control)
  //   options(digits = 17); coef(refit); sqrt(diag(vcov(refit))); logLik(refit)
  const double y[30] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1,
                        0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1};
  Dataset data;
  data.x.resize(30, 3);
  data.y.resize(30);
  for (int i = 1; i <= 30; ++i) {
    data.x.row(i - 1) << 1.0, (i - 15.5) / 10.0, std::cos(i);
    data.y[i - 1] = y[i - 1];
  }
  std::string error;
  auto model = GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error);
  ASSERT_NE(model, nullptr) << error;
  const Eigen::VectorXd mle =
      testing::NewtonMle(*model, Eigen::VectorXd::Zero(3));

  const Eigen::Vector3d r_coefficients(0.47725269772613460, 1.04362717141078609,
                                       -0.31874274728564889);
  const Eigen::Vector3d r_standard_errors(
      0.41455447586576200, 0.51329494327120817, 0.58639032240980649);
  const double r_log_likelihood = -17.597281019460709;

  EXPECT_LT(RelativeError(mle, r_coefficients), 1e-12);
  double value = 0.0;
  model->Evaluate(mle, &value, nullptr);
  EXPECT_NEAR(-value, r_log_likelihood, 1e-12 * std::abs(r_log_likelihood));
  // Covariance = F⁻¹ (summed scale), from a Cholesky solve.
  Eigen::MatrixXd fisher;
  model->ExpectedFisher(mle, &fisher);
  const Eigen::MatrixXd covariance =
      fisher.llt().solve(Eigen::MatrixXd::Identity(3, 3));
  EXPECT_LT(RelativeError(covariance.diagonal().cwiseSqrt(), r_standard_errors),
            1e-10);
}

}  // namespace
}  // namespace fisheropt
