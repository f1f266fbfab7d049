#include "problems/nonlinear_regression_model.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "tests/problems/model_contract.h"
#include "tests/problems/nist_test_utilities.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::LoadNistModel;

// The LikelihoodModel contract (tests/problems/model_contract.h) for four
// NIST models of 2 to 4 parameters, at a tenth of the way from the certified
// values to start 2. The steps of the central differences are relative to
// |θ_j| (Misra1a's span 5e-4 to 2e2), and L leaves out the (N/2) log 2π
// that the log-likelihoods include. No closed-form Hessian (F = −E[∇²ℓ] is
// checked through central differences of the score), no matrix-free products.
class NonlinearRegressionContractTest
    : public ::testing::TestWithParam<std::string> {};

TEST_P(NonlinearRegressionContractTest, SatisfiesTheModelContract) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::unique_ptr<NonlinearRegressionModel> model =
      LoadNistModel(GetParam(), &data);
  ASSERT_NE(model, nullptr);
  testing::ModelContractOptions options;
  options.parameter_scale = data.certified_values.cwiseAbs();
  options.value_offset = -0.5 * model->NumSamples() * std::log(2.0 * M_PI);
  const Eigen::VectorXd theta =
      data.certified_values + 0.1 * (data.starts[1] - data.certified_values);
  const testing::ModelContractReport report =
      testing::ExpectModelContract(*model, theta, options);
  EXPECT_EQ(report.Names(testing::ContractCheckStatus::kSkipped),
            (std::vector<std::string>{"hessian", "response-free-hessian",
                                      "curvature-products",
                                      "approximate-curvature"}));
}

INSTANTIATE_TEST_SUITE_P(NistProblems, NonlinearRegressionContractTest,
                         ::testing::Values("Misra1a", "Rat43", "MGH09",
                                           "Bennett5"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The likelihood view: gradient = −Σ s_i, ℓ sums to −(L + (N/2) log 2π),
// expected Fisher = JᵀJ, KL = ½‖f(θ) − f(θ2)‖².
TEST(NonlinearRegressionModelTest, LikelihoodPiecesAgreeWithTheResiduals) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::unique_ptr<NonlinearRegressionModel> model =
      LoadNistModel("Rat43", &data);
  ASSERT_NE(model, nullptr);
  const Eigen::VectorXd theta = data.starts[1];
  const int n = model->NumSamples();
  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(model->Evaluate(theta, &value, &gradient));
  const Eigen::VectorXd numeric_gradient = testing::CentralDifferenceGradient(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        model->Evaluate(t, &v, nullptr);
        return v;
      },
      theta, 1e-7);
  EXPECT_LT(testing::RelativeError(gradient, numeric_gradient), 1e-6);

  Eigen::MatrixXd scores;
  model->Scores(theta, model->ObservedResponses(), 0, n, &scores);
  EXPECT_LT(
      testing::RelativeError(-scores.colwise().sum().transpose(), gradient),
      1e-12);
  Eigen::VectorXd log_likelihoods;
  model->LogLikelihoods(theta, model->ObservedResponses(), 0, n,
                        &log_likelihoods);
  EXPECT_NEAR(-log_likelihoods.sum(), value + 0.5 * n * std::log(2.0 * M_PI),
              1e-9 * value);

  Eigen::VectorXd residuals;
  Eigen::MatrixXd jacobian;
  ASSERT_TRUE(model->Residuals(theta, &residuals, &jacobian));
  Eigen::MatrixXd fisher;
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  EXPECT_LT(testing::RelativeError(fisher, jacobian.transpose() * jacobian),
            1e-14);
  EXPECT_FALSE(model->GetCapabilities().hessian);

  double kl = 0.0;
  ASSERT_TRUE(model->KlDivergence(theta, data.certified_values, &kl));
  Eigen::VectorXd f1, f2;
  ASSERT_TRUE(model->Predict(theta, &f1));
  ASSERT_TRUE(model->Predict(data.certified_values, &f2));
  EXPECT_NEAR(kl, 0.5 * (f1 - f2).squaredNorm(), 1e-12 * kl);
}

// Sampled responses are f + N(0, 1): the mean of ỹ − f over many samples
// is ~ N(0, 1/N) and the variance ~ 1 (N = 154 per draw, 200 draws).
TEST(NonlinearRegressionModelTest, SampledResponsesHaveUnitNoise) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::unique_ptr<NonlinearRegressionModel> model =
      LoadNistModel("Bennett5", &data);
  ASSERT_NE(model, nullptr);
  Eigen::VectorXd f;
  ASSERT_TRUE(model->Predict(data.certified_values, &f));
  RandomEngine rng(7);
  double sum = 0.0, sum_squares = 0.0;
  int count = 0;
  for (int draw = 0; draw < 200; ++draw) {
    RowMatrixXd sampled;
    model->SampleResponses(data.certified_values, &rng, &sampled);
    const Eigen::VectorXd noise = sampled.col(0) - f;
    sum += noise.sum();
    sum_squares += noise.squaredNorm();
    count += static_cast<int>(noise.size());
  }
  // count = 30800: standard errors 0.0057 (mean) and 0.0081 (variance).
  EXPECT_NEAR(sum / count, 0.0, 4 * 0.0057);
  EXPECT_NEAR(sum_squares / count, 1.0, 4 * 0.0081);
}

}  // namespace
}  // namespace fisheropt
