// GlmModel: the model contract for every family, plain and with prior
// weights, offset and ridge penalty; the conventions of the weights and the
// penalty, solver agreement, and R's glm as the reference.
#include "problems/glm_model.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/QR>
#include <cctype>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "optim/newton_solver.h"
#include "problems/synthetic_data.h"
#include "tests/problems/model_contract.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

// Synthetic data of the family with non-trivial prior weights in [0.5, 2)
// and an offset in [−0.2, 0.2).
Dataset WeightedData(GlmFamilyType family, int n, int p) {
  Dataset data = MakeGlmRegressionData(family, n, p, 23).data;
  data.weights.resize(n);
  data.offset.resize(n);
  for (int i = 0; i < n; ++i) {
    data.weights[i] = 0.5 + 1.5 * ((i * 37) % 100) / 100.0;
    data.offset[i] = 0.4 * ((i * 61) % 100) / 100.0 - 0.2;
  }
  return data;
}

std::unique_ptr<GlmModel> MakeModel(Dataset data, GlmFamilyType family,
                                    double l2_penalty = 0.0) {
  GlmOptions options;
  options.l2_penalty = l2_penalty;
  std::string error;
  auto model = GlmModel::Create(std::move(data), family, options, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

// Fisher scoring (the expected Fisher is positive definite for every
// family), 100 plain iterations: enough on these small, well-posed problems.
Eigen::VectorXd FisherScoringMle(const GlmModel& model) {
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(model.NumParameters());
  for (int iteration = 0; iteration < 100; ++iteration) {
    double value = 0.0;
    Eigen::VectorXd gradient;
    Eigen::MatrixXd fisher;
    model.Evaluate(theta, &value, &gradient);
    model.ExpectedFisher(theta, &fisher);
    theta -= fisher.llt().solve(gradient);
  }
  return theta;
}

class GlmModelZooTest : public ::testing::TestWithParam<GlmFamilyType> {};

// The Monte Carlo Fisher (ScoreOuterProductSum at responses sampled from the
// model, prior weights included) averages to the expected Fisher: each entry
// within 5 standard errors of M = 2000 draws (the error shrinks like 1/√M).
TEST_P(GlmModelZooTest, ExpectedFisherMatchesMonteCarlo) {
  auto model = MakeModel(WeightedData(GetParam(), 50, 3), GetParam());
  const Eigen::VectorXd theta = Eigen::Vector3d(0.3, -0.5, 0.4);
  constexpr int kDraws = 2000;
  RandomEngine rng(29);
  Eigen::MatrixXd sum = Eigen::MatrixXd::Zero(3, 3);
  Eigen::MatrixXd sum_of_squares = Eigen::MatrixXd::Zero(3, 3);
  RowMatrixXd sampled;
  Eigen::MatrixXd draw;
  for (int m = 0; m < kDraws; ++m) {
    model->SampleResponses(theta, &rng, &sampled);
    model->ScoreOuterProductSum(theta, sampled, &draw);
    sum += draw;
    sum_of_squares += draw.cwiseAbs2();
  }
  const Eigen::MatrixXd mean = sum / kDraws;
  const Eigen::MatrixXd standard_error =
      ((sum_of_squares / kDraws - mean.cwiseAbs2()) / kDraws).cwiseSqrt();
  Eigen::MatrixXd fisher;
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  for (int j = 0; j < 3; ++j) {
    for (int k = 0; k < 3; ++k) {
      EXPECT_GT(standard_error(j, k), 0.0);
      EXPECT_NEAR(mean(j, k), fisher(j, k), 5 * standard_error(j, k))
          << j << "," << k;
    }
  }
  // With w_i² instead of w_i (the Σ (w_i s_i)(w_i s_i)ᵀ convention) the
  // average would be off by far more than that: the weights matter.
  Dataset squared_weights = model->data();
  squared_weights.weights = squared_weights.weights.cwiseAbs2();
  Eigen::MatrixXd wrong;
  MakeModel(squared_weights, GetParam())->ExpectedFisher(theta, &wrong);
  EXPECT_GT((wrong - fisher).cwiseAbs().maxCoeff(),
            20 * standard_error.maxCoeff());
}

// λD enters every curvature exactly once (and nothing at the intercept).
TEST_P(GlmModelZooTest, PenaltyAddsLambdaDToEveryCurvature) {
  const Dataset data = WeightedData(GetParam(), 40, 3);
  auto plain = MakeModel(data, GetParam());
  auto ridge = MakeModel(data, GetParam(), 2.5);
  const Eigen::VectorXd theta = Eigen::Vector3d(0.5, 0.25, -0.75);
  const Eigen::MatrixXd penalty = Eigen::Vector3d(0, 2.5, 2.5).asDiagonal();
  Eigen::MatrixXd a, b;
  plain->Hessian(theta, &a);
  ridge->Hessian(theta, &b);
  EXPECT_LT((b - a - penalty).cwiseAbs().maxCoeff(), 1e-12 * a.norm());
  plain->ExpectedFisher(theta, &a);
  ridge->ExpectedFisher(theta, &b);
  EXPECT_LT((b - a - penalty).cwiseAbs().maxCoeff(), 1e-12 * a.norm());
  plain->ScoreOuterProductSum(theta, plain->ObservedResponses(), &a);
  ridge->ScoreOuterProductSum(theta, ridge->ObservedResponses(), &b);
  EXPECT_LT((b - a - penalty).cwiseAbs().maxCoeff(), 1e-12 * a.norm());
  double value_a = 0.0, value_b = 0.0;
  Eigen::VectorXd gradient_a, gradient_b;
  plain->Evaluate(theta, &value_a, &gradient_a);
  ridge->Evaluate(theta, &value_b, &gradient_b);
  EXPECT_NEAR(value_b - value_a, 1.25 * (0.25 * 0.25 + 0.75 * 0.75), 1e-12);
  EXPECT_LT((gradient_b - gradient_a - penalty * theta).norm(), 1e-12);
}

INSTANTIATE_TEST_SUITE_P(
    Families, GlmModelZooTest,
    ::testing::Values(GlmFamilyType::kBernoulliLogit,
                      GlmFamilyType::kBernoulliProbit,
                      GlmFamilyType::kBernoulliCloglog,
                      GlmFamilyType::kPoissonLog,
                      GlmFamilyType::kGaussianIdentity),
    [](const ::testing::TestParamInfo<GlmFamilyType>& info) {
      return ToString(info.param);
    });

// The LikelihoodModel contract (tests/problems/model_contract.h) for every
// family, plain and with prior weights in [0.5, 2), an offset and a ridge
// penalty λ = 0.7 on the three slopes, on 600 rows (two chunks). Only the
// logistic family has a closed-form KL; only the canonical links (logistic,
// Poisson, Gaussian) have a Hessian that does not depend on y.
class GlmModelContractTest
    : public ::testing::TestWithParam<std::tuple<GlmFamilyType, bool>> {};

TEST_P(GlmModelContractTest, SatisfiesTheModelContract) {
  const auto [family, weighted] = GetParam();
  constexpr double kPenalty = 0.7;
  Dataset data = weighted ? WeightedData(family, 600, 4)
                          : MakeGlmRegressionData(family, 600, 4, 23).data;
  testing::ModelContractOptions options;
  if (weighted) {
    options.frequency_weights = data.weights;
    options.penalty_hessian =
        Eigen::Vector4d(0.0, kPenalty, kPenalty, kPenalty).asDiagonal();
  }
  auto model = MakeModel(std::move(data), family, weighted ? kPenalty : 0.0);
  const testing::ModelContractReport report = testing::ExpectModelContract(
      *model, Eigen::Vector4d(0.2, -0.4, 0.3, 0.1), options);
  const bool canonical = family == GlmFamilyType::kBernoulliLogit ||
                         family == GlmFamilyType::kPoissonLog ||
                         family == GlmFamilyType::kGaussianIdentity;
  std::vector<std::string> skipped;
  if (!canonical) skipped.push_back("response-free-hessian");
  if (family != GlmFamilyType::kBernoulliLogit) skipped.push_back("kl");
  EXPECT_EQ(report.Names(testing::ContractCheckStatus::kSkipped), skipped);
}

INSTANTIATE_TEST_SUITE_P(
    Families, GlmModelContractTest,
    ::testing::Combine(::testing::Values(GlmFamilyType::kBernoulliLogit,
                                         GlmFamilyType::kBernoulliProbit,
                                         GlmFamilyType::kBernoulliCloglog,
                                         GlmFamilyType::kPoissonLog,
                                         GlmFamilyType::kGaussianIdentity),
                       ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<GlmFamilyType, bool>>& info) {
      return ToString(std::get<0>(info.param)) +
             (std::get<1>(info.param) ? "WeightedOffsetRidge" : "Plain");
    });

// Non-canonical links: observed ≠ expected information away from the MLE
// (canonical ones agree to rounding), and Newton (Hessian) and Fisher
// scoring (expected Fisher) through Solve() reach the same MLE.
class NonCanonicalTest : public ::testing::TestWithParam<GlmFamilyType> {};

TEST_P(NonCanonicalTest, ObservedDiffersFromExpectedAndBothReachTheMle) {
  SyntheticRegression synthetic = MakeGlmRegressionData(GetParam(), 2000, 4, 5);
  auto model = MakeModel(synthetic.data, GetParam());
  const Eigen::VectorXd away =
      synthetic.true_parameters + Eigen::Vector4d(0.5, -0.5, 0.5, 0.5);
  Eigen::MatrixXd hessian, fisher;
  model->Hessian(away, &hessian);
  model->ExpectedFisher(away, &fisher);
  EXPECT_GT(RelativeError(hessian, fisher), 0.05);

  Eigen::VectorXd mle[2];
  const CurvatureType curvatures[2] = {CurvatureType::kHessian,
                                       CurvatureType::kExpectedFisher};
  for (int c = 0; c < 2; ++c) {
    SolverOptions options;
    options.curvature.type = curvatures[c];
    options.stopping.function_tolerance = 0.0;
    options.stopping.gradient_tolerance = 1e-9;
    options.stopping.parameter_tolerance = 0.0;
    mle[c] = Eigen::VectorXd::Zero(4);
    SolverSummary summary;
    Solve(options, *model, &mle[c], &summary);
    EXPECT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.message;
  }
  EXPECT_LT(RelativeError(mle[0], mle[1]), 1e-10);
  // At the MLE they still differ for a non-canonical link (by O(1/√N)).
  model->Hessian(mle[0], &hessian);
  model->ExpectedFisher(mle[0], &fisher);
  EXPECT_GT(RelativeError(hessian, fisher), 1e-4);
}

INSTANTIATE_TEST_SUITE_P(
    Links, NonCanonicalTest,
    ::testing::Values(GlmFamilyType::kBernoulliProbit,
                      GlmFamilyType::kBernoulliCloglog),
    [](const ::testing::TestParamInfo<GlmFamilyType>& info) {
      return ToString(info.param);
    });

TEST(CanonicalLinkTest, HessianEqualsExpectedFisherForPoissonAndGaussian) {
  for (GlmFamilyType family :
       {GlmFamilyType::kPoissonLog, GlmFamilyType::kGaussianIdentity}) {
    auto model = MakeModel(WeightedData(family, 100, 3), family);
    const Eigen::VectorXd theta = Eigen::Vector3d(1.0, -0.5, 0.5);
    Eigen::MatrixXd hessian, fisher;
    model->Hessian(theta, &hessian);
    model->ExpectedFisher(theta, &fisher);
    EXPECT_LT(RelativeError(hessian, fisher), 1e-15) << ToString(family);
  }
}

// Poisson with one indicator per group (saturated in the groups): the MLE is
// β_g = log(mean of y in group g), in closed form.
TEST(PoissonSaturatedTest, MleIsLogOfGroupMeans) {
  const double counts[4][5] = {
      {0, 1, 2, 0, 1}, {3, 5, 4, 6, 2}, {10, 12, 9, 11, 13}, {1, 0, 0, 2, 1}};
  Dataset data;
  data.x = RowMatrixXd::Zero(20, 4);
  data.y.resize(20);
  for (int g = 0; g < 4; ++g) {
    for (int k = 0; k < 5; ++k) {
      data.x(5 * g + k, g) = 1.0;
      data.y[5 * g + k] = counts[g][k];
    }
  }
  auto model = MakeModel(data, GlmFamilyType::kPoissonLog);
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.stopping.function_tolerance = 0.0;
  options.stopping.gradient_tolerance = 1e-12;
  options.stopping.parameter_tolerance = 0.0;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(4);
  SolverSummary summary;
  Solve(options, *model, &beta, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  const Eigen::Vector4d exact(std::log(0.8), std::log(4.0), std::log(11.0),
                              std::log(0.8));
  EXPECT_LT((beta - exact).cwiseAbs().maxCoeff(), 1e-10);
}

// --- R references --------------------------------------------------------

// i <- 1:30; x1 <- (i - 15.5) / 10; x2 <- cos(i);
// y <- c(0,0,1,0,0,1,0,0,1,1, 0,1,0,1,1,0,1,1,0,1, 1,1,0,1,1,1,0,1,1,1)
Dataset BinaryData() {
  const double y[30] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1,
                        0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1};
  Dataset data;
  data.x.resize(30, 3);
  data.y.resize(30);
  data.column_names = {"(Intercept)", "x1", "x2"};
  for (int i = 1; i <= 30; ++i) {
    data.x.row(i - 1) << 1.0, (i - 15.5) / 10.0, std::cos(i);
    data.y[i - 1] = y[i - 1];
  }
  return data;
}

// j <- 1:20; z1 <- (j - 10.5) / 10; z2 <- sin(j)
// counts <- c(2,0,1,3,1,2,4,1,3,2, 5,2,4,3,6,4,7,5,6,9)
Dataset CountData() {
  const double y[20] = {2, 0, 1, 3, 1, 2, 4, 1, 3, 2,
                        5, 2, 4, 3, 6, 4, 7, 5, 6, 9};
  Dataset data;
  data.x.resize(20, 3);
  data.y.resize(20);
  for (int j = 1; j <= 20; ++j) {
    data.x.row(j - 1) << 1.0, (j - 10.5) / 10.0, std::sin(j);
    data.y[j - 1] = y[j - 1];
  }
  return data;
}

// Asserts the MLE, the standard errors √(scale · diag(F⁻¹)) (F from a
// Cholesky solve) and the log-likelihood against R to 1e-10 relative.
void ExpectMatchesR(const GlmModel& model, const Eigen::Vector3d& coefficients,
                    const Eigen::Vector3d& standard_errors,
                    double log_likelihood, double dispersion = 1.0) {
  const Eigen::VectorXd mle = FisherScoringMle(model);
  EXPECT_LT(RelativeError(mle, coefficients), 1e-10);
  Eigen::MatrixXd fisher;
  model.ExpectedFisher(mle, &fisher);
  const Eigen::MatrixXd covariance =
      dispersion * fisher.llt().solve(Eigen::MatrixXd::Identity(3, 3));
  EXPECT_LT(RelativeError(covariance.diagonal().cwiseSqrt(), standard_errors),
            1e-10);
  double value = 0.0;
  model.Evaluate(mle, &value, nullptr);
  EXPECT_NEAR(-value, log_likelihood, 1e-10 * std::abs(log_likelihood));
}

// R 4.2 (Debian r-base-core), with the data of BinaryData():
//   control <- glm.control(epsilon = 1e-14, maxit = 100)
//   fit <- glm(y ~ x1 + x2, family = binomial(link = "probit"),
//              control = control)
//   # glm stops on a relative deviance change < epsilon, which leaves the
//   # coefficients of a non-canonical link ~1e-9 short of the MLE: force
//   # three times five more IRLS steps (R warns that they "did not converge").
//   for (k in 1:3) fit <- glm(y ~ x1 + x2, family = binomial(link = "probit"),
//       start = coef(fit), control = glm.control(epsilon = 1e-300, maxit = 5))
//   options(digits = 17); coef(fit); sqrt(diag(vcov(fit))); logLik(fit)
// (vcov of a glm is the inverse EXPECTED information, also for non-canonical
// links, here evaluated at the MLE itself.)
TEST(GlmRReferenceTest, Probit) {
  auto model = MakeModel(BinaryData(), GlmFamilyType::kBernoulliProbit);
  ExpectMatchesR(
      *model, {0.28027923542403205, 0.62857265008493646, -0.17707578723945169},
      {0.24645231185512967, 0.29747457538988459, 0.35200789871210159},
      -17.621141883191797);
}

// As Probit with binomial(link = "cloglog").
TEST(GlmRReferenceTest, Cloglog) {
  auto model = MakeModel(BinaryData(), GlmFamilyType::kBernoulliCloglog);
  ExpectMatchesR(
      *model, {-0.10349588410292963, 0.62371710586953932, -0.13523469511580258},
      {0.25992379184589481, 0.30831875837925310, 0.36585762533141797},
      -17.763462993728005);
}

// With the data of CountData():
//   fit <- glm(counts ~ z1 + z2, family = poisson, control = control)
//   refit <- glm(counts ~ z1 + z2, family = poisson, start = coef(fit),
//                control = control)
//   coef(refit); sqrt(diag(vcov(refit))); logLik(refit)
TEST(GlmRReferenceTest, Poisson) {
  auto model = MakeModel(CountData(), GlmFamilyType::kPoissonLog);
  ExpectMatchesR(
      *model, {1.1025353826260667, 0.9665075488780650, -0.0167653584110799},
      {0.13789652333782079, 0.22682188457974714, 0.16742712250783104},
      -34.104608388244941);
}

//   w <- 1 + (j %% 3); off <- log(1 + j / 10)
//   fit <- glm(counts ~ z1 + z2, family = poisson, weights = w,
//              offset = off, control = control)
//   refit <- glm(counts ~ z1 + z2, family = poisson, weights = w,
//                offset = off, start = coef(fit), control = control)
//   coef(refit); sqrt(diag(vcov(refit))); logLik(refit)
// (R's poisson logLik with weights is Σ w_i log dpois(y_i, μ_i).)
TEST(GlmRReferenceTest, WeightedPoissonWithOffset) {
  Dataset data = CountData();
  data.weights.resize(20);
  data.offset.resize(20);
  for (int j = 1; j <= 20; ++j) {
    data.weights[j - 1] = 1 + (j % 3);
    data.offset[j - 1] = std::log(1 + j / 10.0);
  }
  auto model = MakeModel(data, GlmFamilyType::kPoissonLog);
  ExpectMatchesR(
      *model,
      {0.401171672559080761, 0.591771862849821750, -0.094272538284910334},
      {0.099730498783026436, 0.160966925939451860, 0.106692091664673860},
      -70.419818654424049);
}

// k <- 1:25; u1 <- (k - 13) / 10; u2 <- cos(k)
// yg <- 1 + 2 * u1 - 0.5 * u2 + 0.3 * sin(3 * k)
// fit <- glm(yg ~ u1 + u2, family = gaussian)
// coef(fit); sqrt(diag(vcov(fit))); logLik(fit); summary(fit)$dispersion;
// deviance(fit)
TEST(GlmRReferenceTest, GaussianWithDispersion) {
  Dataset data;
  data.x.resize(25, 3);
  data.y.resize(25);
  for (int k = 1; k <= 25; ++k) {
    const double u1 = (k - 13) / 10.0, u2 = std::cos(k);
    data.x.row(k - 1) << 1.0, u1, u2;
    data.y[k - 1] = 1 + 2 * u1 - 0.5 * u2 + 0.3 * std::sin(3 * k);
  }
  auto model = MakeModel(data, GlmFamilyType::kGaussianIdentity);
  const Eigen::VectorXd mle = FisherScoringMle(*model);
  const double r_dispersion = 0.046264948149466842;
  const double r_deviance = 1.0178288592882705;
  EXPECT_NEAR(model->GaussianDispersion(mle), r_dispersion,
              1e-12 * r_dispersion);
  EXPECT_NEAR(model->Dispersion(mle), r_dispersion, 1e-12 * r_dispersion);
  // Our ℓ has φ = 1: L(β̂) = RSS/2 + (n/2) log 2π.
  double value = 0.0;
  model->Evaluate(mle, &value, nullptr);
  const double rss = 2 * value - 25 * std::log(2 * M_PI);
  EXPECT_NEAR(rss, r_deviance, 1e-12 * r_deviance);
  // R's logLik profiles σ² = RSS/n: −(n/2)(log(2π RSS/n) + 1).
  EXPECT_NEAR(-12.5 * (std::log(2 * M_PI * rss / 25) + 1), 4.5415871138930006,
              1e-12 * 4.54);
  ExpectMatchesR(
      *model, {0.99768519723664273, 1.99279729265705652, -0.50426321717302269},
      {0.043019673827304400, 0.059879659490823134, 0.061191710359491204},
      -value, r_dispersion);
}

TEST(GlmOptionsTest, InvalidOptionsAndDataAreRejectedWithTheirField) {
  std::string error;
  GlmOptions options;
  options.l2_penalty = -1.0;
  EXPECT_EQ(GlmModel::Create(BinaryData(), GlmFamilyType::kBernoulliProbit,
                             options, &error),
            nullptr);
  EXPECT_EQ(error, "GlmOptions::l2_penalty = -1 must be finite and >= 0");
  options = GlmOptions();
  options.intercept_column = 3;
  EXPECT_EQ(GlmModel::Create(BinaryData(), GlmFamilyType::kBernoulliProbit,
                             options, &error),
            nullptr);
  EXPECT_EQ(error,
            "GlmOptions::intercept_column = 3 must be less than the number of "
            "columns (3)");
  Dataset data = CountData();
  data.weights = Eigen::VectorXd::Ones(20);
  data.weights[7] = -0.5;
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kPoissonLog, &error),
            nullptr);
  EXPECT_EQ(error, "weight -0.5 in row 7 must be finite and >= 0");
  data.weights = Eigen::VectorXd::Ones(19);
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kPoissonLog, &error),
            nullptr);
  EXPECT_EQ(error,
            "dimension mismatch: X has 20 rows but weights has 19 "
            "entries");
  data = CountData();
  data.offset = Eigen::VectorXd::Zero(20);
  data.offset[3] = std::nan("");
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kPoissonLog, &error),
            nullptr);
  EXPECT_EQ(error, "non-finite offset nan in row 3");
  data = CountData();
  data.y[2] = 1.5;
  EXPECT_EQ(GlmModel::Create(data, GlmFamilyType::kPoissonLog, &error),
            nullptr);
  EXPECT_EQ(error,
            "response 1.5 in row 2 is outside the support of the poisson "
            "model");
}

std::unique_ptr<GlmModel> SyntheticLogistic(int n, int p) {
  std::string error;
  auto model = GlmModel::Create(MakeLogisticRegressionData(n, p, 11).data,
                                GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
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

// Fewer rows than columns of X: X has rank < p, so every
// curvature Xᵀdiag(w)X is singular; refused with both counts. N = p is
// accepted (X can have full rank).
TEST(GlmModelTest, FewerObservationsThanCoefficientsAreRefused) {
  for (const GlmFamilyType family :
       {GlmFamilyType::kBernoulliLogit, GlmFamilyType::kPoissonLog,
        GlmFamilyType::kGaussianIdentity}) {
    Dataset data = MakeGlmRegressionData(family, 4, 4, 5).data;
    std::string error;
    EXPECT_NE(GlmModel::Create(data, family, &error), nullptr) << error;
    data.x.conservativeResize(3, 4);
    data.y.conservativeResize(3);
    EXPECT_EQ(GlmModel::Create(data, family, &error), nullptr);
    EXPECT_EQ(error,
              "3 observations but 4 coefficients: a GLM needs at least as "
              "many observations as coefficients (X has rank at most 3, so "
              "the Fisher matrix is singular)")
        << ToString(family);
  }
}

// --- Generic (distribution, link) families --------------------------------

struct FamilyPair {
  GlmDistribution distribution;
  GlmLink link;
  double theta = 0.0;  // the negative binomial's θ
};

// The pairs R allows that are not one of the five presets, and MASS's
// negative.binomial(2.5) with its links.
std::vector<FamilyPair> GenericPairs() {
  std::vector<FamilyPair> pairs;
  for (GlmDistribution distribution :
       {GlmDistribution::kBinomial, GlmDistribution::kPoisson,
        GlmDistribution::kGaussian, GlmDistribution::kGamma,
        GlmDistribution::kInverseGaussian}) {
    for (GlmLink link : AllowedLinks(distribution)) {
      if (!CreateGlmFamily(distribution, link, nullptr)->type().has_value()) {
        pairs.push_back({distribution, link});
      }
    }
  }
  for (GlmLink link : AllowedLinks(GlmDistribution::kNegativeBinomial)) {
    pairs.push_back({GlmDistribution::kNegativeBinomial, link, 2.5});
  }
  return pairs;
}

std::unique_ptr<GlmFamily> MakeFamily(const FamilyPair& pair) {
  std::string error;
  auto family =
      pair.distribution == GlmDistribution::kNegativeBinomial
          ? CreateNegativeBinomialFamily(pair.theta, pair.link, &error)
          : CreateGlmFamily(pair.distribution, pair.link, &error);
  EXPECT_NE(family, nullptr) << error;
  return family;
}

// n rows of (1, u1, u2, u3), u_j uniform in [0, 1), and responses drawn at
// θ = (0.8, 0.3, 0.2, 0.4), whose η ∈ [0.8, 1.7] is valid for every link
// that needs η > 0; binomial(log), which needs η < 0, gets −θ.
Dataset GenericData(const GlmFamily& family, int n,
                    Eigen::VectorXd* true_theta) {
  RandomEngine rng(41);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  Dataset data;
  data.x.resize(n, 4);
  data.column_names = {"(Intercept)", "u1", "u2", "u3"};
  for (int i = 0; i < n; ++i) {
    data.x.row(i) << 1.0, uniform(rng), uniform(rng), uniform(rng);
  }
  *true_theta = Eigen::Vector4d(0.8, 0.3, 0.2, 0.4);
  if (!family.IsValidLinearPredictor(0.8)) *true_theta = -*true_theta;
  const Eigen::VectorXd eta = data.x * *true_theta;
  family.Sample(eta, &rng, &data.y);
  return data;
}

std::string PairTestName(const FamilyPair& pair) {
  std::string name = ToString(pair.distribution) + "_" + ToString(pair.link);
  std::string clean;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') clean += c;
    if (c == '/') clean += "Over";
  }
  return clean;
}

// The LikelihoodModel contract for every generic family, plain and with
// prior weights and a ridge penalty, at θ near the one that drew y. None
// has a closed-form KL; only the canonical ones (Gamma-inverse,
// inverse.gaussian-1/mu^2) have a response-free Hessian.
class GenericGlmContractTest
    : public ::testing::TestWithParam<std::tuple<FamilyPair, bool>> {};

TEST_P(GenericGlmContractTest, SatisfiesTheModelContract) {
  const auto [pair, weighted] = GetParam();
  constexpr double kPenalty = 0.7;
  std::unique_ptr<GlmFamily> family = MakeFamily(pair);
  const bool canonical = family->IsCanonical();
  Eigen::VectorXd theta;
  Dataset data = GenericData(*family, 600, &theta);
  testing::ModelContractOptions options;
  GlmOptions glm_options;
  if (weighted) {
    data.weights.resize(600);
    for (int i = 0; i < 600; ++i) {
      data.weights[i] = 0.5 + 1.5 * ((i * 37) % 100) / 100.0;
    }
    options.frequency_weights = data.weights;
    options.penalty_hessian =
        Eigen::Vector4d(0.0, kPenalty, kPenalty, kPenalty).asDiagonal();
    glm_options.l2_penalty = kPenalty;
  }
  std::string error;
  auto model =
      GlmModel::Create(std::move(data), std::move(family), glm_options, &error);
  ASSERT_NE(model, nullptr) << error;
  EXPECT_EQ(model->HessianIsResponseFree(), canonical);
  EXPECT_EQ(model->CreateResidualForm(), nullptr);
  const testing::ModelContractReport report = testing::ExpectModelContract(
      *model, theta + Eigen::Vector4d(0.02, -0.03, 0.01, 0.02), options);
  std::vector<std::string> skipped;
  if (!canonical) skipped.push_back("response-free-hessian");
  skipped.push_back("kl");
  EXPECT_EQ(report.Names(testing::ContractCheckStatus::kSkipped), skipped);
}

INSTANTIATE_TEST_SUITE_P(
    Pairs, GenericGlmContractTest,
    ::testing::Combine(::testing::ValuesIn(GenericPairs()), ::testing::Bool()),
    [](const ::testing::TestParamInfo<std::tuple<FamilyPair, bool>>& info) {
      return PairTestName(std::get<0>(info.param)) +
             (std::get<1>(info.param) ? "WeightedRidge" : "Plain");
    });

TEST(GenericGlmModelTest, CreateNamesTheFamilyAndChecksItsSupport) {
  std::string error;
  EXPECT_EQ(GlmModel::Create(CountData(), nullptr, GlmOptions(), &error),
            nullptr);
  EXPECT_EQ(error, "GlmModel::Create needs a family (got null)");
  Dataset data = CountData();  // has a zero count, outside Gamma's support
  EXPECT_EQ(
      GlmModel::Create(
          data, CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kLog, &error),
          GlmOptions(), &error),
      nullptr);
  EXPECT_EQ(error,
            "response 0 in row 1 is outside the support of the Gamma(log) "
            "model");
  auto model = GlmModel::Create(
      data,
      CreateGlmFamily(GlmDistribution::kPoisson, GlmLink::kIdentity, &error),
      GlmOptions(), &error);
  ASSERT_NE(model, nullptr) << error;
  EXPECT_EQ(model->Name(), "poisson(identity)");
  EXPECT_FALSE(model->HessianIsResponseFree());
  double kl = 0.0;
  EXPECT_FALSE(model->KlDivergence(Eigen::Vector3d(3, 1, 0),
                                   Eigen::Vector3d(3, 1, 0.1), &kl));
  // A preset through the same overload keeps its name and residual form.
  auto logistic = GlmModel::Create(
      BinaryData(),
      CreateGlmFamily(GlmDistribution::kBinomial, GlmLink::kLogit, &error),
      GlmOptions(), &error);
  ASSERT_NE(logistic, nullptr) << error;
  EXPECT_EQ(logistic->Name(), "logistic");
  EXPECT_NE(logistic->CreateResidualForm(), nullptr);
}

// Fisher scoring from R's start: its first IRLS step, the weighted least
// squares fit of η_i = g(mustart_i) − offset_i on X with weights
// w_i μ'(η_i)²/V(mustart_i) (at μ = mustart the working response is η);
// then steps halved while they leave the valid η or raise L. A given start
// replaces R's (as glm(start =) does).
Eigen::VectorXd FisherScoringFromStart(const GlmModel& model,
                                       const Eigen::VectorXd* start = nullptr) {
  const Dataset& data = model.data();
  const GlmFamily& family = model.family();
  const int n = model.NumSamples();
  Eigen::VectorXd start_eta(n), root_weights(n);
  for (int i = 0; i < n; ++i) {
    const double weight = data.HasWeights() ? data.weights[i] : 1.0;
    const double mu = family.StartingMean(data.y[i], weight);
    const double eta = family.LinkFunction(mu);
    const double derivative = LinkMeanDerivative(family.link(), eta);
    root_weights[i] =
        std::sqrt(weight * derivative * derivative / family.Variance(mu));
    start_eta[i] = eta - (data.HasOffset() ? data.offset[i] : 0.0);
  }
  const Eigen::MatrixXd weighted_x = root_weights.asDiagonal() * data.x;
  Eigen::VectorXd theta =
      start != nullptr ? *start
                       : Eigen::VectorXd(weighted_x.colPivHouseholderQr().solve(
                             root_weights.cwiseProduct(start_eta)));
  double value = 0.0;
  EXPECT_TRUE(model.Evaluate(theta, &value, nullptr));
  for (int iteration = 0; iteration < 100; ++iteration) {
    Eigen::VectorXd gradient;
    Eigen::MatrixXd fisher;
    model.Evaluate(theta, &value, &gradient);
    model.ExpectedFisher(theta, &fisher);
    const Eigen::VectorXd step = fisher.llt().solve(gradient);
    double length = 1.0;
    for (int halving = 0; halving < 40; ++halving, length /= 2) {
      const Eigen::VectorXd candidate = theta - length * step;
      double candidate_value = 0.0;
      if (model.Evaluate(candidate, &candidate_value, nullptr) &&
          candidate_value <= value + 1e-13 * std::abs(value)) {
        theta = candidate;
        break;
      }
    }
  }
  return theta;
}

struct GenericFitReference {
  Eigen::Vector3d coefficients, standard_errors;
  double dispersion, deviance, aic;
};

// The MLE, R's dispersion (Pearson: Σ w (y − μ)²/V(μ) / (n − p) for the
// families with one, else 1), the standard errors √(φ̂ diag(F⁻¹)), the
// deviance Σ w UnitDeviance(y, μ) and the AIC (family Aic + 2·rank), all
// against R to 1e-9 relative.
void ExpectGenericFitMatchesR(const GlmModel& model,
                              const GenericFitReference& r,
                              const Eigen::VectorXd* start = nullptr) {
  const Eigen::VectorXd mle = FisherScoringFromStart(model, start);
  EXPECT_LT(RelativeError(mle, r.coefficients), 1e-9) << mle.transpose();
  const GlmFamily& family = model.family();
  const Dataset& data = model.data();
  const Eigen::VectorXd eta = model.LinearPredictor(mle);
  const int n = model.NumSamples();
  Eigen::VectorXd mu(n), weights(n);
  double pearson = 0.0, deviance = 0.0;
  for (int i = 0; i < n; ++i) {
    weights[i] = data.HasWeights() ? data.weights[i] : 1.0;
    mu[i] = family.Mean(eta[i]);
    pearson += weights[i] * (data.y[i] - mu[i]) * (data.y[i] - mu[i]) /
               family.Variance(mu[i]);
    deviance += weights[i] * family.UnitDeviance(data.y[i], mu[i]);
  }
  const double dispersion = model.Dispersion(mle);
  EXPECT_NEAR(dispersion, family.HasDispersion() ? pearson / (n - 3) : 1.0,
              1e-14 * dispersion);
  EXPECT_NEAR(dispersion, r.dispersion, 1e-9 * r.dispersion);
  EXPECT_NEAR(deviance, r.deviance, 1e-9 * r.deviance);
  Eigen::MatrixXd fisher;
  model.ExpectedFisher(mle, &fisher);
  const Eigen::VectorXd standard_errors =
      (dispersion * fisher.llt().solve(Eigen::MatrixXd::Identity(3, 3)))
          .diagonal()
          .cwiseSqrt();
  EXPECT_LT(RelativeError(standard_errors, r.standard_errors), 1e-9);
  const double aic = family.Aic(data.y, mu, weights, deviance) + 2 * 3;
  EXPECT_NEAR(aic, r.aic, 1e-9 * r.aic);
}

// R 4.2, with k <- 1:25; u1 <- (k - 13) / 10; u2 <- cos(k)
//   yg <- exp(0.5 + 0.8 * u1 - 0.3 * u2) * (1 + 0.4 * sin(3 * k))
//   w <- 1 + (k %% 3); off <- 0.1 * sin(k)
//   control <- glm.control(epsilon = 1e-14, maxit = 100)
//   fit <- glm(yg ~ u1 + u2, family = Gamma(link = "log"), weights = w,
//              offset = off, control = control)
//   # three times five more IRLS steps from coef(fit), as for the probit:
//   for (r in 1:3) fit <- glm(yg ~ u1 + u2, family = Gamma(link = "log"),
//       weights = w, offset = off, start = coef(fit),
//       control = glm.control(epsilon = 1e-300, maxit = 5))
//   options(digits = 17); coef(fit); sqrt(diag(vcov(fit)))
//   summary(fit)$dispersion; deviance(fit); fit$aic
Dataset PositiveData(bool weighted) {
  Dataset data;
  data.x.resize(25, 3);
  data.y.resize(25);
  if (weighted) {
    data.weights.resize(25);
    data.offset.resize(25);
  }
  for (int k = 1; k <= 25; ++k) {
    const double u1 = (k - 13) / 10.0, u2 = std::cos(k);
    data.x.row(k - 1) << 1.0, u1, u2;
    data.y[k - 1] =
        std::exp(0.5 + 0.8 * u1 - 0.3 * u2) * (1 + 0.4 * std::sin(3 * k));
    if (weighted) {
      data.weights[k - 1] = 1 + (k % 3);
      data.offset[k - 1] = 0.1 * std::sin(k);
    }
  }
  return data;
}

TEST(GenericGlmRReferenceTest, WeightedGammaLogWithOffset) {
  std::string error;
  auto model = GlmModel::Create(
      PositiveData(true),
      CreateGlmFamily(GlmDistribution::kGamma, GlmLink::kLog, &error),
      GlmOptions(), &error);
  ASSERT_NE(model, nullptr) << error;
  ExpectGenericFitMatchesR(
      *model,
      {{0.50021212178763508, 0.80319133700232870, -0.24764404549681235},
       {0.063666615159300610, 0.088429984198003880, 0.098899940730838173},
       0.20253656527039493,
       4.6292494045876591,
       76.092664793324303});
}

// As WeightedGammaLogWithOffset, unweighted and without offset:
//   fit <- glm(yg ~ u1 + u2, family = inverse.gaussian(), control = control)
TEST(GenericGlmRReferenceTest, InverseGaussianCanonical) {
  std::string error;
  auto model =
      GlmModel::Create(PositiveData(false),
                       CreateGlmFamily(GlmDistribution::kInverseGaussian,
                                       GlmLink::kInverseSquare, &error),
                       GlmOptions(), &error);
  ASSERT_NE(model, nullptr) << error;
  EXPECT_TRUE(model->HessianIsResponseFree());
  ExpectGenericFitMatchesR(
      *model,
      {{0.51858116557937917, -0.43450490633652145, 0.10290213954306220},
       {0.090221314147764520, 0.091509958378738362, 0.048135031730875771},
       0.12224489071989732,
       2.7285639238461115,
       58.056879609102502});
}

// Proportions with their numbers of trials as prior weights, with the data
// of BinaryData()'s x:
//   m <- 2 + (i %% 4); s <- floor((m + 1) * ((i * 0.618) %% 1))
//   fit <- glm(s / m ~ x1 + x2, family = binomial(link = "cauchit"),
//              weights = m, control = control)   # and the extra steps
TEST(GenericGlmRReferenceTest, CauchitProportionsWithTrials) {
  Dataset data = BinaryData();
  data.weights.resize(30);
  for (int i = 1; i <= 30; ++i) {
    const double trials = 2 + (i % 4);
    const double successes =
        std::floor((trials + 1) * std::fmod(i * 0.618, 1.0));
    data.weights[i - 1] = trials;
    data.y[i - 1] = successes / trials;
  }
  std::string error;
  auto model = GlmModel::Create(
      data,
      CreateGlmFamily(GlmDistribution::kBinomial, GlmLink::kCauchit, &error),
      GlmOptions(), &error);
  ASSERT_NE(model, nullptr) << error;
  ExpectGenericFitMatchesR(
      *model,
      {{0.0049167994388745508, -0.0099854648640846141, -0.2728230863913420068},
       {0.15782391365450224, 0.18169374597700363, 0.23068344035359845},
       1.0,
       65.877797617739319,
       102.33660721009063});
}

// With the data of CountData() (R needs a start: its first IRLS step from
// mustart leaves μ > 0):
//   fit <- glm(counts ~ z1 + z2, family = poisson(link = "identity"),
//              start = c(3.5, 3, 0), control = control)   # and extra steps
//   coef(fit); sqrt(diag(vcov(fit))); deviance(fit); fit$aic; logLik(fit)
TEST(GenericGlmRReferenceTest, PoissonIdentity) {
  std::string error;
  auto model = GlmModel::Create(
      CountData(),
      CreateGlmFamily(GlmDistribution::kPoisson, GlmLink::kIdentity, &error),
      GlmOptions(), &error);
  ASSERT_NE(model, nullptr) << error;
  const Eigen::VectorXd start = Eigen::Vector3d(3.5, 3.0, 0.0);
  ExpectGenericFitMatchesR(
      *model,
      {{3.4996911699274297902, 2.7878929923747843844, 0.0061876037259926747},
       {0.41908951520679560, 0.66874024914549213, 0.51741000056199893},
       1.0,
       12.271276256377053,
       75.636072258930838},
      &start);
  // ℓ is the full Poisson log density: −L(β̂) is R's logLik.
  double value = 0.0;
  model->Evaluate(FisherScoringFromStart(*model, &start), &value, nullptr);
  EXPECT_NEAR(-value, -34.818036129465419, 1e-10 * 34.8);
}

}  // namespace
}  // namespace fisheropt
