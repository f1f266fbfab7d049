#include "fisher/monte_carlo_fisher.h"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "problems/gaussian_regression_model.h"
#include "problems/nist_dataset.h"
#include "problems/nist_models.h"
#include "problems/row_random.h"
#include "problems/softmax_model.h"
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

// One model of every kind that samples responses, at a point θ, with rows
// spanning several chunks.
struct SampledModel {
  std::string name;
  std::unique_ptr<LikelihoodModel> model;
  Eigen::VectorXd theta;
};

std::vector<SampledModel> EveryKindOfModel(bool with_large_models = false) {
  std::vector<SampledModel> models;
  std::string error;
  if (with_large_models) {
    // Enough rows for the draws to be made in parallel.
    const int n = static_cast<int>(kMinRowsToDrawInParallel) + 777;
    SyntheticRegression logistic =
        MakeGlmRegressionData(GlmFamilyType::kBernoulliLogit, n, 4, 20);
    models.push_back({"large logistic",
                      GlmModel::Create(logistic.data,
                                       GlmFamilyType::kBernoulliLogit, &error),
                      logistic.true_parameters});
    SyntheticRegression softmax = MakeSoftmaxRegressionData(n, 3, 3, 19);
    models.push_back({"large softmax",
                      SoftmaxModel::Create(softmax.data, 3, &error),
                      softmax.true_parameters});
  }
  for (const GlmFamilyType family :
       {GlmFamilyType::kBernoulliLogit, GlmFamilyType::kBernoulliProbit,
        GlmFamilyType::kBernoulliCloglog, GlmFamilyType::kPoissonLog,
        GlmFamilyType::kGaussianIdentity}) {
    SyntheticRegression data = MakeGlmRegressionData(family, 1500, 4, 21);
    models.push_back({ToString(family),
                      GlmModel::Create(data.data, family, &error),
                      data.true_parameters});
  }
  SyntheticRegression softmax = MakeSoftmaxRegressionData(1500, 3, 4, 22);
  models.push_back({"softmax", SoftmaxModel::Create(softmax.data, 4, &error),
                    softmax.true_parameters});
  SyntheticRegression gaussian = MakeGaussianRegressionData(1500, 3, 0.7, 23);
  models.push_back({"gaussian-regression",
                    GaussianRegressionModel::Create(gaussian.data, &error),
                    gaussian.true_parameters});
  auto mvn = testing::Mvn(1500, 3, 24);
  const Eigen::VectorXd mvn_theta = mvn->MaximumLikelihoodParameters();
  models.push_back({"mvn", std::move(mvn), mvn_theta});
  NistDataset nist;
  EXPECT_TRUE(ReadNistDataset(std::string(FISHEROPT_NIST_DIR) + "/Misra1a.dat",
                              &nist, &error))
      << error;
  models.push_back(
      {"Misra1a", CreateNistModel(nist, &error), nist.certified_values});
  for (const SampledModel& m : models) {
    EXPECT_NE(m.model, nullptr) << m.name << ": " << error;
  }
  return models;
}

// The Monte Carlo Fisher — the sampled responses and the summed
// outer products — is bitwise the same for 1, 2, 3 and 7 threads, on a
// first call and on a second call that continues the stream, for every
// kind of model, and for models large enough to draw their rows in
// parallel.
TEST(MonteCarloFisherTest, BitwiseTheSameForEveryThreadCount) {
  const int saved = omp_get_max_threads();
  for (const SampledModel& m : EveryKindOfModel(/*with_large_models=*/true)) {
    if (m.model == nullptr) continue;
    std::vector<Eigen::MatrixXd> first, second;
    for (const int num_threads : {1, 2, 3, 7}) {
      omp_set_num_threads(num_threads);
      MonteCarloFisher monte_carlo(*m.model, 3, 2024);
      Eigen::MatrixXd a, b;
      std::string error;
      EXPECT_TRUE(monte_carlo.Compute(m.theta, &a, &error)) << error;
      EXPECT_TRUE(monte_carlo.Compute(m.theta, &b, &error)) << error;
      first.push_back(a);
      second.push_back(b);
    }
    omp_set_num_threads(saved);
    for (size_t k = 1; k < first.size(); ++k) {
      EXPECT_EQ(first[k], first[0]) << m.name << ", run " << k;
      EXPECT_EQ(second[k], second[0]) << m.name << ", run " << k;
    }
    EXPECT_NE(first[0], second[0]) << m.name;
  }
}

// Draws belong to rows. The responses of the first 700 rows are
// the same whether the model holds those 700 rows (drawn on one thread) or
// all of them (more than kMinRowsToDrawInParallel, drawn in parallel), with
// the same seed and call: row i's draw depends on the key and i only.
TEST(MonteCarloFisherTest, SampledResponsesDependOnlyOnTheKeyAndTheRow) {
  const int n = static_cast<int>(kMinRowsToDrawInParallel) + 1500;
  SyntheticRegression data =
      MakeGlmRegressionData(GlmFamilyType::kPoissonLog, n, 4, 25);
  std::string error;
  auto full = GlmModel::Create(data.data, GlmFamilyType::kPoissonLog, &error);
  Dataset head = data.data;
  head.x.conservativeResize(700, 4);
  head.y.conservativeResize(700);
  auto part = GlmModel::Create(head, GlmFamilyType::kPoissonLog, &error);
  ASSERT_NE(full, nullptr);
  ASSERT_NE(part, nullptr);
  RandomEngine rng_full(31), rng_part(31);
  RowMatrixXd y_full, y_part;
  for (int call = 0; call < 2; ++call) {
    full->SampleResponses(data.true_parameters, &rng_full, &y_full);
    part->SampleResponses(data.true_parameters, &rng_part, &y_part);
    EXPECT_EQ(y_part, y_full.topRows(700)) << "call " << call;
  }
  // A different key (the next call) gives different draws.
  RowMatrixXd y_next;
  full->SampleResponses(data.true_parameters, &rng_full, &y_next);
  EXPECT_NE(y_next, y_full);
}

// The row-keyed draws follow each model's distribution: with M = 400 draws
// every entry of the Monte Carlo Fisher lies within 5 standard errors of
// the closed-form expected Fisher (per entry, two-sided, p ≈ 6e-7 under the
// model; an entry whose standard error is 0 must match to rounding).
TEST(MonteCarloFisherTest, EveryModelWithinFiveStandardErrorsOfTheFisher) {
  for (const SampledModel& m : EveryKindOfModel()) {
    if (m.model == nullptr) continue;
    Eigen::MatrixXd fisher;
    ASSERT_TRUE(m.model->ExpectedFisher(m.theta, &fisher)) << m.name;
    MonteCarloFisherEstimate estimate;
    std::string error;
    ASSERT_TRUE(
        EstimateMonteCarloFisher(*m.model, m.theta, 400, 99, &estimate, &error))
        << m.name << ": " << error;
    const Eigen::MatrixXd z =
        (estimate.mean - fisher)
            .cwiseAbs()
            .cwiseQuotient(5.0 * estimate.standard_error +
                           Eigen::MatrixXd::Constant(
                               fisher.rows(), fisher.cols(),
                               1e-12 * fisher.cwiseAbs().maxCoeff()));
    EXPECT_LE(z.maxCoeff(), 1.0) << m.name << "\n" << z;
    // The standard errors are those of an average of 400 draws, not 0.
    EXPECT_GT(estimate.standard_error.maxCoeff(), 0.0) << m.name;
  }
}

}  // namespace
}  // namespace fisheropt
