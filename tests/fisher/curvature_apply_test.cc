// Curvature::Apply and Curvature::Diagonal: the matrix-free products equal
// the dense matrix times the vector, for every curvature on logistic
// regression (the GLM fast path Xᵀ(w ⊙ Xv)) and on the MVN (the dense
// default, cached per θ).

#include <gtest/gtest.h>

#include "fisher/curvature.h"
#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

void ExpectApplyMatchesDense(const LikelihoodModel& model,
                             const Eigen::VectorXd& theta) {
  for (CurvatureType type :
       {CurvatureType::kHessian, CurvatureType::kExpectedFisher,
        CurvatureType::kEmpiricalFisher, CurvatureType::kMonteCarloFisher}) {
    CurvatureOptions options;
    options.type = type;
    std::string error;
    // Two curvatures with the same seed: one dense, one matrix-free, so the
    // Monte Carlo draws of both are the same.
    auto dense = CreateCurvature(options, model, &error);
    auto free = CreateCurvature(options, model, &error);
    ASSERT_NE(dense, nullptr) << error;
    Eigen::MatrixXd matrix;
    ASSERT_TRUE(dense->Compute(theta, &matrix, &error)) << error;
    RandomEngine rng(7);
    std::normal_distribution<double> normal;
    for (int trial = 0; trial < 3; ++trial) {
      Eigen::VectorXd v(theta.size());
      for (Eigen::Index j = 0; j < v.size(); ++j) v[j] = normal(rng);
      Eigen::VectorXd product;
      ASSERT_TRUE(free->Apply(theta, v, &product, &error)) << error;
      EXPECT_LT(RelativeError(product, matrix * v), 1e-12)
          << model.Name() << " " << ToString(type);
    }
    Eigen::VectorXd diagonal;
    ASSERT_TRUE(free->Diagonal(theta, &diagonal, &error)) << error;
    EXPECT_LT(RelativeError(diagonal, matrix.diagonal()), 1e-12)
        << model.Name() << " " << ToString(type);
  }
}

TEST(CurvatureApplyTest, LogisticProductsEqualDenseMatrixTimesVector) {
  auto model = testing::Logistic(1500, 5, 11);
  Eigen::VectorXd theta(5);
  theta << 0.3, -0.2, 0.5, 0.1, -0.4;
  ExpectApplyMatchesDense(*model, theta);
}

TEST(CurvatureApplyTest, MvnProductsEqualDenseMatrixTimesVector) {
  auto model = testing::Mvn(400, 3, 12);
  Eigen::VectorXd theta =
      Eigen::VectorXd::LinSpaced(model->NumParameters(), -0.3, 0.4);
  ExpectApplyMatchesDense(*model, theta);
}

TEST(CurvatureApplyTest, GlmFastPathDoesNotFormTheMatrix) {
  // The GLM hook answers directly; a model without one returns false and the
  // curvature falls back to the dense default.
  auto model = testing::Logistic(200, 3, 13);
  const Eigen::VectorXd theta = Eigen::Vector3d(0.1, 0.2, -0.3);
  const Eigen::VectorXd v = Eigen::Vector3d(1.0, -1.0, 2.0);
  Eigen::VectorXd product;
  EXPECT_TRUE(model->CurvatureApply(
      LikelihoodModel::CurvatureProduct::kExpectedFisher, theta, v, &product));
  Eigen::MatrixXd fisher;
  model->ExpectedFisher(theta, &fisher);
  EXPECT_LT(RelativeError(product, fisher * v), 1e-13);
  auto mvn = testing::Mvn(50, 2, 14);
  EXPECT_FALSE(mvn->CurvatureApply(LikelihoodModel::CurvatureProduct::kHessian,
                                   Eigen::VectorXd::Zero(mvn->NumParameters()),
                                   Eigen::VectorXd::Ones(mvn->NumParameters()),
                                   &product));
}

}  // namespace
}  // namespace fisheropt
