#include "fisher/empirical_fisher.h"

#include <gtest/gtest.h>

#include <Eigen/Eigenvalues>

#include "fisher/expected_fisher.h"
#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

TEST(EmpiricalFisherTest, EqualsScoreMatrixTransposeTimesItself) {
  for (int which = 0; which < 2; ++which) {
    std::unique_ptr<LikelihoodModel> model;
    if (which == 0) {
      model = testing::Logistic(1100, 5, 2);
    } else {
      model = testing::Mvn(700, 3, 2);
    }
    const int p = model->NumParameters();
    const Eigen::VectorXd theta = Eigen::VectorXd::LinSpaced(p, -0.3, 0.4);
    Eigen::MatrixXd empirical;
    std::string error;
    ASSERT_TRUE(EmpiricalFisher(*model).Compute(theta, &empirical, &error));
    Eigen::MatrixXd scores;
    model->Scores(theta, model->ObservedResponses(), 0, model->NumSamples(),
                  &scores);
    const Eigen::MatrixXd s_transpose_s = scores.transpose() * scores;
    EXPECT_LT(RelativeError(empirical, s_transpose_s), 1e-12) << model->Name();
    EXPECT_EQ(empirical, empirical.transpose());
    const Eigen::VectorXd eigenvalues =
        Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(empirical).eigenvalues();
    EXPECT_GE(eigenvalues.minCoeff(), -1e-12 * eigenvalues.maxCoeff());
  }
}

TEST(EmpiricalFisherTest, FarFromExpectedFisherAwayFromTheOptimum) {
  // Logistic: the empirical weights are (y − μ)², the expected μ(1 − μ).
  // They agree on average only where μ matches the data; at a θ far from
  // the MLE the two matrices are very different curvatures.
  auto model = testing::Logistic(5000, 4, 4);
  const Eigen::VectorXd mle =
      testing::NewtonMle(*model, Eigen::VectorXd::Zero(4));
  Eigen::MatrixXd empirical, expected;
  std::string error;
  EmpiricalFisher empirical_fisher(*model);
  ExpectedFisherCurvature expected_fisher(*model);

  empirical_fisher.Compute(mle, &empirical, &error);
  expected_fisher.Compute(mle, &expected, &error);
  const double gap_at_mle = RelativeError(empirical, expected);
  EXPECT_LT(gap_at_mle, 0.1);  // well-specified data, N = 5000

  const Eigen::VectorXd away = mle + Eigen::Vector4d(2.0, -2.0, 2.0, -2.0);
  empirical_fisher.Compute(away, &empirical, &error);
  expected_fisher.Compute(away, &expected, &error);
  const double gap_away = RelativeError(empirical, expected);
  EXPECT_GT(gap_away, 1.0);
  EXPECT_GT(gap_away, 10.0 * gap_at_mle);
}

}  // namespace
}  // namespace fisheropt
