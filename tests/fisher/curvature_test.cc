#include "fisher/curvature.h"

#include <gtest/gtest.h>

#include "fisher/monte_carlo_fisher.h"
#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

// A model with scores and sampling but no closed forms, to check that the
// factory refuses what is absent and offers what is not.
testing::ModelAlterations NoClosedForms() {
  testing::ModelAlterations alterations;
  alterations.name = "no-closed-form";
  alterations.hide_closed_forms = true;
  return alterations;
}

TEST(CurvatureTypeTest, NamesRoundTrip) {
  for (CurvatureType type :
       {CurvatureType::kHessian, CurvatureType::kExpectedFisher,
        CurvatureType::kEmpiricalFisher, CurvatureType::kMonteCarloFisher}) {
    CurvatureType parsed;
    ASSERT_TRUE(FromString(ToString(type), &parsed));
    EXPECT_EQ(parsed, type);
  }
  CurvatureType parsed;
  EXPECT_FALSE(FromString("fisher", &parsed));
}

TEST(CurvatureFactoryTest, RefusesMissingClosedFormsWithAdvice) {
  auto logistic = testing::Logistic(50, 3, 1);
  const testing::ForwardingModel model(*logistic, NoClosedForms());
  CurvatureOptions options;
  std::string error;
  options.type = CurvatureType::kExpectedFisher;
  EXPECT_EQ(CreateCurvature(options, model, &error), nullptr);
  EXPECT_EQ(error,
            "model 'no-closed-form' has no closed-form expected_fisher; use "
            "monte_carlo_fisher or empirical_fisher instead");
  options.type = CurvatureType::kHessian;
  EXPECT_EQ(CreateCurvature(options, model, &error), nullptr);
  EXPECT_NE(error.find("no closed-form hessian"), std::string::npos);

  // What needs only scores and sampling is available, and computes through
  // the default chunked Σ s sᵀ: the same matrix as the GLM's fast path.
  for (CurvatureType type :
       {CurvatureType::kEmpiricalFisher, CurvatureType::kMonteCarloFisher}) {
    options.type = type;
    auto generic = CreateCurvature(options, model, &error);
    auto fast = CreateCurvature(options, *logistic, &error);
    ASSERT_NE(generic, nullptr) << error;
    const Eigen::Vector3d theta(0.2, -0.1, 0.3);
    Eigen::MatrixXd a, b;
    ASSERT_TRUE(generic->Compute(theta, &a, &error));
    ASSERT_TRUE(fast->Compute(theta, &b, &error));
    EXPECT_LT((a - b).norm(), 1e-12 * b.norm()) << ToString(type);
  }
}

TEST(CurvatureFactoryTest, InvalidOptionsNameTheField) {
  auto model = testing::Logistic(50, 3, 1);
  CurvatureOptions options;
  options.type = CurvatureType::kMonteCarloFisher;
  options.monte_carlo_samples = 0;
  std::string error;
  EXPECT_EQ(CreateCurvature(options, *model, &error), nullptr);
  EXPECT_EQ(error, "CurvatureOptions::monte_carlo_samples = 0 must be >= 1");
}

TEST(CurvatureTest, NonFiniteCurvatureIsReported) {
  auto model = testing::Logistic(50, 3, 1);
  CurvatureOptions options;
  std::string error;
  auto curvature = CreateCurvature(options, *model, &error);
  Eigen::MatrixXd matrix;
  const Eigen::Vector3d theta(std::nan(""), 0.0, 0.0);
  EXPECT_FALSE(curvature->Compute(theta, &matrix, &error));
  EXPECT_EQ(error, "expected_fisher has non-finite entries at this point");
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

// Curvature::Apply and Curvature::Diagonal: the matrix-free products equal
// the dense matrix times the vector, for every curvature on logistic
// regression (the GLM fast path Xᵀ(w ⊙ Xv)) and on the MVN (the dense
// default, cached per θ).

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
