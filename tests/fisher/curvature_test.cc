#include "fisher/curvature.h"

#include <gtest/gtest.h>

#include "fisher/monte_carlo_fisher.h"
#include "tests/fisher/fisher_test_models.h"

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
