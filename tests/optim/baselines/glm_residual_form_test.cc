// GLMs as least-squares problems (problems/glm_residual_form.h) and Ceres'
// trust-region solvers on them.

#include "problems/glm_residual_form.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "optim/baselines/ceres_trust_region_solver.h"
#include "optim/newton_solver.h"
#include "problems/softmax_model.h"
#include "problems/synthetic_data.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::CentralDifferenceJacobian;
using testing::RelativeError;

// Synthetic data with prior weights in [0.5, 2), an offset in [−0.2, 0.2)
// and a ridge penalty: every term of the residual form is exercised.
std::unique_ptr<GlmModel> WeightedModel(GlmFamilyType family,
                                        double l2_penalty) {
  const int n = 400;
  Dataset data = MakeGlmRegressionData(family, n, 4, 31).data;
  data.weights.resize(n);
  data.offset.resize(n);
  for (int i = 0; i < n; ++i) {
    data.weights[i] = 0.5 + 1.5 * ((i * 37) % 100) / 100.0;
    data.offset[i] = 0.4 * ((i * 61) % 100) / 100.0 - 0.2;
  }
  GlmOptions options;
  options.l2_penalty = l2_penalty;
  std::string error;
  auto model = GlmModel::Create(std::move(data), family, options, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

class GlmResidualFormTest : public ::testing::TestWithParam<GlmFamilyType> {};

// ½‖r‖² + CostOffset() is the model's summed NLL (with the penalty), and the
// Jacobian is the derivative of r.
TEST_P(GlmResidualFormTest, HalfSquaredNormPlusOffsetIsTheNll) {
  for (double penalty : {0.0, 0.3}) {
    auto model = WeightedModel(GetParam(), penalty);
    const std::unique_ptr<ResidualForm> form = model->CreateResidualForm();
    ASSERT_NE(form, nullptr);
    EXPECT_EQ(form->NumResiduals(),
              model->NumSamples() + (penalty > 0.0 ? 4 : 0));
    const Eigen::Vector4d theta(0.2, -0.3, 0.25, 0.1);
    Eigen::VectorXd r;
    Eigen::MatrixXd jacobian;
    ASSERT_TRUE(form->Residuals(theta, &r, &jacobian));
    double value = 0.0;
    ASSERT_TRUE(model->Evaluate(theta, &value, nullptr));
    EXPECT_NEAR(0.5 * r.squaredNorm() + form->CostOffset(), value,
                1e-12 * std::abs(value))
        << ToString(GetParam()) << " penalty " << penalty;
    const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
        [&](const Eigen::VectorXd& t) {
          Eigen::VectorXd out;
          form->Residuals(t, &out, nullptr);
          return out;
        },
        theta);
    EXPECT_LT((jacobian - numeric).norm(), 1e-7 * numeric.norm())
        << ToString(GetParam());
  }
}

// Ceres' LM and dogleg on the residual form reach Newton's MLE (the same NLL
// to rounding), with costs reported on the summed-NLL scale.
TEST_P(GlmResidualFormTest, CeresTrustRegionReachesNewtonsMle) {
  auto model = WeightedModel(GetParam(), 0.0);
  SolverOptions newton;
  newton.curvature.type = CurvatureType::kHessian;
  newton.stopping.gradient_tolerance = 1e-12;
  Eigen::VectorXd mle = Eigen::VectorXd::Zero(4);
  SolverSummary summary;
  Solve(newton, *model, &mle, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  const double nll = summary.final_cost;
  const std::unique_ptr<ResidualForm> form = model->CreateResidualForm();
  for (CeresTrustRegionStrategy strategy :
       {CeresTrustRegionStrategy::kLevenbergMarquardt,
        CeresTrustRegionStrategy::kDogleg}) {
    CeresTrustRegionSolverOptions options;
    options.strategy = strategy;
    options.stopping.function_tolerance = 1e-15;
    options.stopping.gradient_tolerance = 1e-12;
    options.stopping.parameter_tolerance = 1e-14;
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(4);
    SolveWithCeresTrustRegion(options, *form, &theta, &summary);
    EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.message;
    // The Gauss–Newton matrix of √(2·nll) residuals is not the Hessian
    // (the residuals do not vanish at the optimum), so Ceres converges
    // linearly and its relative function tolerance stops it ~1e-7 away in θ
    // while the NLL agrees to rounding.
    EXPECT_LT(RelativeError(theta, mle), 1e-5)
        << ToString(GetParam()) << " " << ToString(strategy);
    // Same scale as our L: the final cost is the NLL at the MLE.
    EXPECT_NEAR(summary.final_cost, nll, 1e-11 * std::abs(nll))
        << ToString(GetParam()) << " " << ToString(strategy);
    double start_value = 0.0;
    model->Evaluate(Eigen::VectorXd::Zero(4), &start_value, nullptr);
    EXPECT_NEAR(summary.initial_cost, start_value, 1e-11 * start_value);
  }
}

INSTANTIATE_TEST_SUITE_P(
    EveryFamily, GlmResidualFormTest,
    ::testing::Values(GlmFamilyType::kBernoulliLogit,
                      GlmFamilyType::kBernoulliProbit,
                      GlmFamilyType::kBernoulliCloglog,
                      GlmFamilyType::kPoissonLog,
                      GlmFamilyType::kGaussianIdentity),
    [](const ::testing::TestParamInfo<GlmFamilyType>& info) {
      return ToString(info.param);
    });

// Softmax regression through r_i = √(2·nll_i): ½‖r‖² is its NLL, the
// Jacobian is the derivative of r, and Ceres' LM reaches Newton's MLE.
TEST(SampleNllResidualFormTest, SoftmaxAsLeastSquares) {
  std::string error;
  auto model = SoftmaxModel::Create(
      MakeSoftmaxRegressionData(300, 3, 3, 5).data, 3, &error);
  ASSERT_NE(model, nullptr) << error;
  const std::unique_ptr<ResidualForm> form = model->CreateResidualForm();
  ASSERT_NE(form, nullptr);
  Eigen::VectorXd theta(6);
  theta << 0.1, -0.2, 0.3, -0.1, 0.2, 0.05;
  Eigen::VectorXd r;
  Eigen::MatrixXd jacobian;
  ASSERT_TRUE(form->Residuals(theta, &r, &jacobian));
  double value = 0.0;
  ASSERT_TRUE(model->Evaluate(theta, &value, nullptr));
  EXPECT_NEAR(0.5 * r.squaredNorm(), value, 1e-12 * value);
  EXPECT_EQ(form->CostOffset(), 0.0);
  const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        Eigen::VectorXd out;
        form->Residuals(t, &out, nullptr);
        return out;
      },
      theta);
  EXPECT_LT((jacobian - numeric).norm(), 1e-7 * numeric.norm());

  SolverOptions newton;
  newton.curvature.type = CurvatureType::kHessian;
  newton.stopping.gradient_tolerance = 1e-12;
  Eigen::VectorXd mle = Eigen::VectorXd::Zero(6);
  SolverSummary summary;
  Solve(newton, *model, &mle, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence);
  CeresTrustRegionSolverOptions options;
  options.stopping.function_tolerance = 1e-15;
  options.stopping.gradient_tolerance = 1e-12;
  options.stopping.parameter_tolerance = 1e-14;
  Eigen::VectorXd fitted = Eigen::VectorXd::Zero(6);
  SolverSummary ceres;
  SolveWithCeresTrustRegion(options, *form, &fitted, &ceres);
  EXPECT_LT(RelativeError(fitted, mle), 1e-5);  // linear convergence, above
  EXPECT_NEAR(ceres.final_cost, summary.final_cost, 1e-11 * summary.final_cost);
}

// The per-sample residual at the extremes: finite, with the right limits.
TEST(GlmResidualTest, ExtremesAndExactFitsAreFinite) {
  const auto logistic = CreateGlmFamily(GlmFamilyType::kBernoulliLogit);
  double r = 0.0, dr = 0.0;
  // y = 1, η = 700: nll = log(1 + e^−700) ≈ e^−700 (≈ 9.9e-305).
  GlmResidual(GlmFamilyType::kBernoulliLogit, *logistic, 700.0, 1.0, 1.0, &r,
              &dr);
  EXPECT_NEAR(r, std::sqrt(2.0 * std::exp(-700.0)), 1e-12 * r);
  EXPECT_TRUE(std::isfinite(dr));
  EXPECT_LE(dr, 0.0);
  // y = 1, η = 800: nll underflows to 0 — r = 0 and the limit dr/dη = 0.
  GlmResidual(GlmFamilyType::kBernoulliLogit, *logistic, 800.0, 1.0, 1.0, &r,
              &dr);
  EXPECT_EQ(r, 0.0);
  EXPECT_EQ(dr, 0.0);
  // y = 0, η = 700: nll = 700 (to rounding), dr/dη = σ(700)/r = 1/√1400.
  GlmResidual(GlmFamilyType::kBernoulliLogit, *logistic, 700.0, 0.0, 1.0, &r,
              &dr);
  EXPECT_NEAR(r, std::sqrt(1400.0), 1e-12);
  EXPECT_NEAR(dr, 1.0 / std::sqrt(1400.0), 1e-14);

  const auto poisson = CreateGlmFamily(GlmFamilyType::kPoissonLog);
  // An exact fit (y = μ = e^η): r = 0 and the limit −√(wμ).
  GlmResidual(GlmFamilyType::kPoissonLog, *poisson, std::log(4.0), 4.0, 2.0, &r,
              &dr);
  EXPECT_NEAR(r, 0.0, 1e-7);
  EXPECT_NEAR(dr, -std::sqrt(8.0), 1e-7);
  // Near it, the deviance from the series: d = 2wμ f(u) ≈ wμu², u = 1e-6.
  const double mu = 4.0 / (1.0 + 1e-6);
  GlmResidual(GlmFamilyType::kPoissonLog, *poisson, std::log(mu), 4.0, 1.0, &r,
              &dr);
  EXPECT_NEAR(r, std::sqrt(mu) * 1e-6, 1e-6 * std::sqrt(mu) * 1e-6);
  // y = 0: d = 2wμ, r = −√(2μ).
  GlmResidual(GlmFamilyType::kPoissonLog, *poisson, 1.0, 0.0, 1.0, &r, &dr);
  EXPECT_NEAR(r, -std::sqrt(2.0 * std::exp(1.0)), 1e-14);
}

}  // namespace
}  // namespace fisheropt
