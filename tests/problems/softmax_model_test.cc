#include "problems/softmax_model.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>
#include <limits>

#include "fisher/diagnostics.h"
#include "fisher/monte_carlo_fisher.h"
#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/synthetic_data.h"
#include "tests/problems/model_contract.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::CentralDifferenceGradient;
using testing::CentralDifferenceJacobian;
using testing::RelativeError;

std::unique_ptr<SoftmaxModel> SyntheticSoftmax(int n, int p, int k,
                                               std::uint64_t seed = 11) {
  std::string error;
  auto model = SoftmaxModel::Create(
      MakeSoftmaxRegressionData(n, p, k, seed).data, k, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

// A point away from the truth and from 0, class-major (K − 1 blocks of p).
Eigen::VectorXd SomeTheta(int p, int k) {
  return Eigen::VectorXd::LinSpaced(p * (k - 1), -0.8, 0.6);
}

TEST(SoftmaxModelTest, LayoutNamesAndGroups) {
  auto model = SyntheticSoftmax(50, 3, 4);
  EXPECT_EQ(model->NumParameters(), 9);
  EXPECT_EQ(model->Name(), "softmax");
  const std::vector<std::string> names = model->ParameterNames();
  ASSERT_EQ(names.size(), 9u);
  EXPECT_EQ(names[0], "class1:(Intercept)");
  EXPECT_EQ(names[4], "class2:x1");
  EXPECT_EQ(names[8], "class3:x2");
  const std::vector<ParameterGroup> groups = model->ParameterGroups();
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[1].name, "class2");
  EXPECT_EQ(groups[1].begin, 3);
  EXPECT_EQ(groups[1].size, 3);
  const LikelihoodModel::Capabilities capabilities = model->GetCapabilities();
  EXPECT_TRUE(capabilities.expected_fisher && capabilities.hessian &&
              capabilities.gauss_newton);
  EXPECT_TRUE(model->HessianIsResponseFree());
  // Probabilities: rows sum to 1; class k ≥ 1 against the reference 0 has
  // log odds η_k = x_iᵀβ_k.
  const Eigen::VectorXd theta = SomeTheta(3, 4);
  const RowMatrixXd mu = model->Probabilities(theta);
  EXPECT_LT((mu.rowwise().sum().array() - 1.0).abs().maxCoeff(), 1e-15);
  const double eta2 = model->data().x.row(7).dot(theta.segment(3, 3));
  EXPECT_NEAR(std::log(mu(7, 2) / mu(7, 0)), eta2, 1e-13);
}

// The LikelihoodModel contract (tests/problems/model_contract.h), K = 4
// classes on 600 rows (two chunks): every check runs.
TEST(SoftmaxModelTest, SatisfiesTheModelContract) {
  auto model = SyntheticSoftmax(600, 3, 4);
  const testing::ModelContractReport report =
      testing::ExpectModelContract(*model, SomeTheta(3, 4));
  EXPECT_TRUE(report.Names(testing::ContractCheckStatus::kSkipped).empty())
      << report.Summary();
}

TEST(SoftmaxModelTest, GradientIsMinusSummedScoresAndMatchesFiniteDifferences) {
  auto model = SyntheticSoftmax(3 * 512 + 5, 4, 3);  // several chunks
  const Eigen::VectorXd theta = SomeTheta(4, 3);
  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(model->Evaluate(theta, &value, &gradient));
  double value_only = 0.0;
  ASSERT_TRUE(model->Evaluate(theta, &value_only, nullptr));
  EXPECT_EQ(value, value_only);

  Eigen::VectorXd log_likelihoods;
  model->LogLikelihoods(theta, model->ObservedResponses(), 0,
                        model->NumSamples(), &log_likelihoods);
  EXPECT_NEAR(value, -log_likelihoods.sum(), 1e-12 * std::abs(value));
  Eigen::MatrixXd scores;
  model->Scores(theta, model->ObservedResponses(), 0, model->NumSamples(),
                &scores);
  EXPECT_LT((gradient + scores.colwise().sum().transpose()).norm(),
            1e-11 * gradient.norm());
  const Eigen::VectorXd numeric = CentralDifferenceGradient(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        model->Evaluate(t, &v, nullptr);
        return v;
      },
      theta);
  EXPECT_LT((gradient - numeric).norm(), 1e-7 * gradient.norm());
}

// (2) The closed-form Hessian against central differences of the gradient.
TEST(SoftmaxModelTest, HessianMatchesFiniteDifferencesOfGradient) {
  auto model = SyntheticSoftmax(700, 3, 4);  // two chunks
  const Eigen::VectorXd theta = SomeTheta(3, 4);
  Eigen::MatrixXd hessian, fisher, gauss_newton, at_sampled;
  ASSERT_TRUE(model->Hessian(theta, &hessian));
  const Eigen::MatrixXd numeric = CentralDifferenceJacobian(
      [&](const Eigen::VectorXd& t) {
        double v = 0.0;
        Eigen::VectorXd g;
        model->Evaluate(t, &v, &g);
        return g;
      },
      theta);
  EXPECT_LT(RelativeError(hessian, numeric), 1e-8);
  EXPECT_EQ(hessian, hessian.transpose());
  // Canonical link: Hessian = expected Fisher = GGN, at any responses.
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  ASSERT_TRUE(model->GaussNewton(theta, &gauss_newton));
  EXPECT_EQ(hessian, fisher);
  EXPECT_EQ(hessian, gauss_newton);
  RandomEngine rng(3);
  RowMatrixXd sampled;
  model->SampleResponses(theta, &rng, &sampled);
  ASSERT_TRUE(model->HessianAtResponses(theta, sampled, &at_sampled));
  EXPECT_EQ(hessian, at_sampled);
}

TEST(SoftmaxModelTest, MatrixFreeProductsAndOuterProductsMatchDenseForms) {
  auto model = SyntheticSoftmax(1100, 3, 4);
  const Eigen::VectorXd theta = SomeTheta(3, 4);
  const Eigen::VectorXd v = Eigen::VectorXd::LinSpaced(9, 1.0, -2.0);
  Eigen::MatrixXd fisher;
  model->ExpectedFisher(theta, &fisher);
  Eigen::VectorXd product, diagonal;
  for (auto which : {LikelihoodModel::CurvatureProduct::kHessian,
                     LikelihoodModel::CurvatureProduct::kExpectedFisher}) {
    ASSERT_TRUE(model->CurvatureApply(which, theta, v, &product));
    EXPECT_LT(RelativeError(product, fisher * v), 1e-13);
    ASSERT_TRUE(model->CurvatureDiagonal(which, theta, &diagonal));
    EXPECT_LT(RelativeError(diagonal, fisher.diagonal()), 1e-13);
  }
  EXPECT_FALSE(model->CurvatureApply(
      LikelihoodModel::CurvatureProduct::kScoreOuterProductSum, theta, v,
      &product));
  // The block-Gram Σ s_i s_iᵀ against the generic chunked rank-k update.
  Eigen::MatrixXd fast, generic = Eigen::MatrixXd::Zero(9, 9), scores;
  model->ScoreOuterProductSum(theta, model->ObservedResponses(), &fast);
  model->Scores(theta, model->ObservedResponses(), 0, model->NumSamples(),
                &scores);
  generic = scores.transpose() * scores;
  EXPECT_LT(RelativeError(fast, generic), 1e-13);
}

// (3) The closed-form Fisher against a Monte Carlo estimate of Cov[s]: every
// entry within 4.5 Monte Carlo standard errors (plus a rounding floor).
TEST(SoftmaxModelTest, ExpectedFisherMatchesMonteCarloFisher) {
  auto model = SyntheticSoftmax(200, 3, 3);
  const Eigen::VectorXd theta = SomeTheta(3, 3);
  Eigen::MatrixXd fisher;
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  MonteCarloFisherEstimate estimate;
  std::string error;
  ASSERT_TRUE(
      EstimateMonteCarloFisher(*model, theta, 2000, 17, &estimate, &error))
      << error;
  const Eigen::ArrayXXd z = (estimate.mean - fisher).array().abs() /
                            (estimate.standard_error.array() + 1e-12);
  EXPECT_LT(z.maxCoeff(), 4.5) << "F =\n"
                               << fisher << "\nMC =\n"
                               << estimate.mean;
  // And the estimate is informative: its errors are a few % of F.
  EXPECT_LT(RelativeError(estimate.mean, fisher), 0.05);
}

// (4) E_p[s] = 0: on data simulated at the true parameters, the mean score
// is zero within its standard error, componentwise.
TEST(SoftmaxModelTest, MeanScoreAtTrueParametersIsZeroWithinStandardError) {
  const int n = 20000;
  SyntheticRegression synthetic = MakeSoftmaxRegressionData(n, 4, 4, 23);
  std::string error;
  auto model = SoftmaxModel::Create(synthetic.data, 4, &error);
  ASSERT_NE(model, nullptr) << error;
  Eigen::MatrixXd scores;
  model->Scores(synthetic.true_parameters, model->ObservedResponses(), 0, n,
                &scores);
  const Eigen::RowVectorXd mean = scores.colwise().mean();
  const Eigen::RowVectorXd standard_error =
      ((scores.rowwise() - mean).cwiseAbs2().colwise().sum() / (n - 1.0))
          .cwiseSqrt() /
      std::sqrt(static_cast<double>(n));
  EXPECT_LT((mean.array().abs() / standard_error.array()).maxCoeff(), 4.0)
      << mean << "\n"
      << standard_error;
  // Far from the truth the mean score is many standard errors from zero.
  Eigen::MatrixXd away;
  model->Scores((synthetic.true_parameters.array() + 0.5).matrix(),
                model->ObservedResponses(), 0, n, &away);
  EXPECT_GT(
      (away.colwise().mean().array().abs() / standard_error.array()).maxCoeff(),
      10.0);
}

// (5) K = 2 is logistic regression, parameter for parameter.
TEST(SoftmaxModelTest, TwoClassesEqualTheLogisticGlm) {
  Dataset data = MakeLogisticRegressionData(900, 4, 5).data;
  std::string error;
  auto glm = GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error);
  ASSERT_NE(glm, nullptr) << error;
  auto softmax = SoftmaxModel::Create(data, 2, &error);
  ASSERT_NE(softmax, nullptr) << error;
  ASSERT_EQ(softmax->NumParameters(), glm->NumParameters());
  for (const Eigen::VectorXd& theta :
       {Eigen::VectorXd(Eigen::Vector4d(0.3, -1.2, 0.8, 2.0)),
        Eigen::VectorXd(Eigen::Vector4d(30.0, -12.0, 8.0, 20.0))}) {
    double glm_value = 0.0, softmax_value = 0.0;
    Eigen::VectorXd glm_gradient, softmax_gradient;
    ASSERT_TRUE(glm->Evaluate(theta, &glm_value, &glm_gradient));
    ASSERT_TRUE(softmax->Evaluate(theta, &softmax_value, &softmax_gradient));
    EXPECT_NEAR(softmax_value, glm_value, 1e-12 * glm_value);
    EXPECT_LT(RelativeError(softmax_gradient, glm_gradient), 1e-12);
    Eigen::MatrixXd glm_fisher, softmax_fisher, glm_hessian, softmax_hessian;
    glm->ExpectedFisher(theta, &glm_fisher);
    softmax->ExpectedFisher(theta, &softmax_fisher);
    glm->Hessian(theta, &glm_hessian);
    softmax->Hessian(theta, &softmax_hessian);
    EXPECT_LT(RelativeError(softmax_fisher, glm_fisher), 1e-12);
    EXPECT_LT(RelativeError(softmax_hessian, glm_hessian), 1e-12);
    Eigen::VectorXd glm_ll, softmax_ll;
    glm->LogLikelihoods(theta, glm->ObservedResponses(), 0, 900, &glm_ll);
    softmax->LogLikelihoods(theta, softmax->ObservedResponses(), 0, 900,
                            &softmax_ll);
    EXPECT_LT(RelativeError(softmax_ll, glm_ll), 1e-12);
    Eigen::MatrixXd glm_scores, softmax_scores;
    glm->Scores(theta, glm->ObservedResponses(), 0, 900, &glm_scores);
    softmax->Scores(theta, softmax->ObservedResponses(), 0, 900,
                    &softmax_scores);
    EXPECT_LT(RelativeError(softmax_scores, glm_scores), 1e-12);
    const Eigen::VectorXd theta2 = (0.5 * theta.array() + 0.1).matrix();
    double glm_kl = 0.0, softmax_kl = 0.0;
    ASSERT_TRUE(glm->KlDivergence(theta, theta2, &glm_kl));
    ASSERT_TRUE(softmax->KlDivergence(theta, theta2, &softmax_kl));
    EXPECT_NEAR(softmax_kl, glm_kl, 1e-12 * glm_kl);
  }
}

TEST(SoftmaxModelTest, KlIsTheSumOfCategoricalKlsAndHalfTheFisherForm) {
  auto model = SyntheticSoftmax(80, 3, 4);
  const Eigen::VectorXd theta = SomeTheta(3, 4);
  const Eigen::VectorXd theta2 = theta.reverse();
  const RowMatrixXd p = model->Probabilities(theta);
  const RowMatrixXd q = model->Probabilities(theta2);
  const double expected = (p.array() * (p.array() / q.array()).log()).sum();
  double kl = 0.0;
  ASSERT_TRUE(model->KlDivergence(theta, theta2, &kl));
  EXPECT_NEAR(kl, expected, 1e-12 * expected);
  ASSERT_TRUE(model->KlDivergence(theta, theta, &kl));
  EXPECT_EQ(kl, 0.0);
  // KL(θ ‖ θ + εd) = ½ε² dᵀFd + O(ε³).
  const double epsilon = 1e-4;
  const Eigen::VectorXd d = Eigen::VectorXd::LinSpaced(9, 1.0, -1.0);
  Eigen::MatrixXd fisher;
  model->ExpectedFisher(theta, &fisher);
  ASSERT_TRUE(model->KlDivergence(theta, theta + epsilon * d, &kl));
  EXPECT_NEAR(kl / (0.5 * epsilon * epsilon * d.dot(fisher * d)), 1.0, 1e-3);
}

TEST(SoftmaxModelTest, SampledLabelsFollowTheClassProbabilities) {
  auto model = SyntheticSoftmax(30000, 3, 3);
  // Only the intercepts: every μ_i = softmax(0, 0.5, −0.5).
  Eigen::VectorXd theta = Eigen::VectorXd::Zero(6);
  theta[0] = 0.5;
  theta[3] = -0.5;
  RandomEngine rng(8);
  RowMatrixXd sampled;
  model->SampleResponses(theta, &rng, &sampled);
  const double z = 1.0 + std::exp(0.5) + std::exp(-0.5);
  const double mu[3] = {1.0 / z, std::exp(0.5) / z, std::exp(-0.5) / z};
  for (int k = 0; k < 3; ++k) {
    const double frequency =
        (sampled.array() == static_cast<double>(k)).cast<double>().mean();
    EXPECT_NEAR(frequency, mu[k],
                4.0 * std::sqrt(mu[k] * (1 - mu[k]) / 30000.0));
  }
}

// (6) |η| = 800: finite, and equal to the asymptotic forms.
TEST(SoftmaxModelTest, ExtremeLinearPredictorsAreFiniteAndExact) {
  Dataset data;
  data.x.resize(2, 1);
  data.x << 1.0, -1.0;
  data.y = Eigen::Vector2d(1.0, 0.0);
  std::string error;
  auto model = SoftmaxModel::Create(data, 3, &error);
  ASSERT_NE(model, nullptr) << error;
  const double log2 = std::log(2.0);
  // Rows: η = (800, 0) and (−800, 0); each label in turn.
  const Eigen::Vector2d theta(800.0, 0.0);
  RowMatrixXd labels(2, 1);
  Eigen::VectorXd ll;
  const double expected[3][2] = {{-800.0, -log2},       // y = 0
                                 {0.0, -800.0 - log2},  // y = 1
                                 {-800.0, -log2}};      // y = 2
  for (int y = 0; y < 3; ++y) {
    labels.setConstant(y);
    model->LogLikelihoods(theta, labels, 0, 2, &ll);
    EXPECT_EQ(ll[0], expected[y][0]) << "y = " << y;
    EXPECT_DOUBLE_EQ(ll[1], expected[y][1]) << "y = " << y;
    Eigen::MatrixXd scores;
    model->Scores(theta, labels, 0, 2, &scores);
    EXPECT_TRUE(scores.allFinite());
  }
  // η = (800, 800): a tie at the top, log 2 exactly.
  labels.setConstant(2);
  model->LogLikelihoods(Eigen::Vector2d(800.0, 800.0), labels, 0, 2, &ll);
  EXPECT_DOUBLE_EQ(ll[0], -log2);
  EXPECT_EQ(ll[1], -800.0);  // −800 − log1p(2e^−800)
  // η = (−40, 0) at row 0: the small terms are kept (no cancellation).
  labels.setConstant(0);
  model->LogLikelihoods(Eigen::Vector2d(-40.0, 0.0), labels, 0, 2, &ll);
  EXPECT_DOUBLE_EQ(ll[0], -std::log1p(1.0 + std::exp(-40.0)));
  EXPECT_DOUBLE_EQ(ll[1], -40.0 - std::log1p(2.0 * std::exp(-40.0)));
  labels.setConstant(1);
  model->LogLikelihoods(Eigen::Vector2d(40.0, 0.0), labels, 0, 2, &ll);
  EXPECT_DOUBLE_EQ(ll[0], -std::log1p(2.0 * std::exp(-40.0)));

  double value = 0.0;
  Eigen::VectorXd gradient;
  ASSERT_TRUE(model->Evaluate(theta, &value, &gradient));
  // y = (1, 0): ℓ_0 = 0 (−2e^−800 underflows), ℓ_1 = −log 2.
  EXPECT_DOUBLE_EQ(value, log2);
  // ∇L = Σ (μ_i − e_{y_i}) ⊗ x_i: row 0 contributes 0, row 1 (μ = (½, 0, ½),
  // y = 0) contributes (0, ½)·(−1).
  EXPECT_EQ(gradient[0], 0.0);
  EXPECT_DOUBLE_EQ(gradient[1], -0.5);
  Eigen::MatrixXd fisher;
  ASSERT_TRUE(model->ExpectedFisher(theta, &fisher));
  EXPECT_TRUE(fisher.allFinite());
  // Row 0 is certain (μ = e_1), row 1: μ = (0.5, 0, 0.5) up to e^−800.
  EXPECT_EQ(fisher(0, 0), 0.0);
  EXPECT_EQ(fisher(0, 1), 0.0);
  EXPECT_DOUBLE_EQ(fisher(1, 1), 0.25);
  // The helpers at the double range.
  EXPECT_EQ(SoftmaxLogNormalizer(Eigen::RowVector2d(1e300, 0.0)), 1e300);
  EXPECT_EQ(SoftmaxLogNormalizer(Eigen::RowVector2d(-1e300, -1e300)), 0.0);
}

// (7) Newton and Fisher scoring reach the MLE, which is R's.
//
// R 4.2 (Debian r-base-core), nnet 7.3-18:
//   i <- 1:60; x1 <- (i - 30.5) / 10; x2 <- cos(i)
//   y <- c(2,2,2,2,2,2,2,2,2,2,0,2,2,2,2,2,2,2,2,2,0,0,2,0,0,0,1,2,1,0,
//          0,0,1,1,1,1,2,0,1,1,2,1,1,0,1,1,1,1,1,1,1,0,1,1,1,1,0,1,1,1)
//   (the labels were drawn once with set.seed(20261128) from
//   η_1 = 0.3 + x1 − 0.5 x2, η_2 = −0.2 − 0.8 x1 + 0.7 x2 and pasted here)
//   library(nnet)
//   fit <- multinom(factor(y) ~ x1 + x2, reltol = 1e-16, abstol = 1e-300,
//                   maxit = 10000, trace = FALSE, Hess = TRUE)
//   options(digits = 17)
//   coef(fit); summary(fit)$standard.errors; logLik(fit)
// multinom's BFGS (vmmin) stops ~1e-8 from the MLE (a Newton iteration in R
// from its coefficients moved them by 8.6e-9), hence the 1e-6 tolerances.
Dataset SmallThreeClassData() {
  const double y[60] = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 2, 2, 2, 2,
                        2, 2, 2, 2, 2, 0, 0, 2, 0, 0, 0, 1, 2, 1, 0,
                        0, 0, 1, 1, 1, 1, 2, 0, 1, 1, 2, 1, 1, 0, 1,
                        1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1};
  Dataset data;
  data.x.resize(60, 3);
  data.y.resize(60);
  data.column_names = {"(Intercept)", "x1", "x2"};
  for (int i = 1; i <= 60; ++i) {
    data.x.row(i - 1) << 1.0, (i - 30.5) / 10.0, std::cos(i);
    data.y[i - 1] = y[i - 1];
  }
  return data;
}

TEST(SoftmaxRReferenceTest, NewtonAndFisherScoringReachNnetMultinom) {
  std::string error;
  auto model = SoftmaxModel::Create(SmallThreeClassData(), 3, &error);
  ASSERT_NE(model, nullptr) << error;
  // coef(fit), row by row (class 1, class 2), columns (Intercept), x1, x2:
  // exactly θ's class-major layout.
  Eigen::VectorXd r_coefficients(6);
  r_coefficients << -0.22546764052407361, 1.2032471026828360,
      -1.70703184892093462, -0.41030406309035378, -1.3400724572009928,
      -0.76778535335940012;
  Eigen::VectorXd r_standard_errors(6);
  r_standard_errors << 0.55492467631721643, 0.44337933352493042,
      0.71192117035346369, 0.59391244242326435, 0.45617226157870888,
      0.66460923102694069;
  const double r_log_likelihood = -33.430729831070188;

  Eigen::VectorXd newton_solution;
  for (CurvatureType curvature :
       {CurvatureType::kHessian, CurvatureType::kExpectedFisher}) {
    SolverOptions options;
    options.curvature.type = curvature;
    options.stopping.function_tolerance = 0.0;
    options.stopping.gradient_tolerance = 1e-12;
    options.stopping.parameter_tolerance = 0.0;
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(6);
    SolverSummary summary;
    Solve(options, *model, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << summary.message;
    EXPECT_LE(summary.num_iterations(), 10);
    EXPECT_LT((theta - r_coefficients).cwiseAbs().maxCoeff(), 1e-6)
        << theta.transpose();
    Eigen::MatrixXd fisher;
    model->ExpectedFisher(theta, &fisher);
    const Eigen::VectorXd standard_errors =
        fisher.llt()
            .solve(Eigen::MatrixXd::Identity(6, 6))
            .diagonal()
            .cwiseSqrt();
    EXPECT_LT(((standard_errors - r_standard_errors).array() /
               r_standard_errors.array())
                  .abs()
                  .maxCoeff(),
              1e-6);
    double value = 0.0;
    model->Evaluate(theta, &value, nullptr);
    EXPECT_NEAR(-value, r_log_likelihood, 1e-12 * std::abs(r_log_likelihood));
    // Canonical link: Newton and Fisher scoring take identical steps.
    if (curvature == CurvatureType::kHessian) {
      newton_solution = theta;
    } else {
      EXPECT_EQ(theta, newton_solution);
    }
  }
}

// Per-class blocks: block-diagonal (and diagonal) Fisher scoring drop the
// curvature between classes and still reach the same MLE, only slower.
TEST(SoftmaxRReferenceTest, BlockDiagonalFisherScoringReachesTheSameMle) {
  std::string error;
  auto model = SoftmaxModel::Create(SmallThreeClassData(), 3, &error);
  ASSERT_NE(model, nullptr) << error;
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.stopping.function_tolerance = 0.0;
  options.stopping.gradient_tolerance = 1e-10;
  options.stopping.parameter_tolerance = 0.0;
  options.stopping.max_iterations = 500;
  Eigen::VectorXd full = Eigen::VectorXd::Zero(6);
  SolverSummary full_summary;
  Solve(options, *model, &full, &full_summary);
  ASSERT_EQ(full_summary.termination_type, TerminationType::kConvergence)
      << full_summary.message;
  for (CurvatureStructure structure :
       {CurvatureStructure::kBlockDiagonal, CurvatureStructure::kDiagonal}) {
    options.curvature.structure = structure;
    Eigen::VectorXd theta = Eigen::VectorXd::Zero(6);
    SolverSummary summary;
    Solve(options, *model, &theta, &summary);
    ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
        << ToString(structure) << ": " << summary.message;
    // Each solve ends at the rounding floor of L ≈ 33 (no measurable
    // decrease left), with |g| between 7e-9 (full) and 1.2e-7 (diagonal):
    // the minimizers agree to ~1e-8.
    EXPECT_LT((theta - full).cwiseAbs().maxCoeff(), 1e-7)
        << ToString(structure);
    EXPECT_GT(summary.num_iterations(), full_summary.num_iterations())
        << ToString(structure);
  }
}

// Every Fisher identity of fisher/diagnostics (E_p[s] = 0, Cov_p[s] = F =
// −E_p[∇²ℓ], the KL ratio) holds for the softmax model, at the MLE and away.
TEST(SoftmaxModelTest, FisherDiagnosticsPassAtTheMleAndAway) {
  auto model = SyntheticSoftmax(400, 3, 3, 12);
  SolverOptions solver_options;
  solver_options.stopping.gradient_tolerance = 1e-9;
  Eigen::VectorXd mle = Eigen::VectorXd::Zero(6);
  SolverSummary summary;
  Solve(solver_options, *model, &mle, &summary);
  ASSERT_EQ(summary.termination_type, TerminationType::kConvergence)
      << summary.message;
  for (bool closed_form_kl : {true, false}) {
    DiagnosticsOptions options;
    options.num_draws = 400;
    options.use_closed_form_kl = closed_form_kl;
    for (double shift : {0.0, 0.3}) {
      Eigen::VectorXd theta = mle;
      for (int j = 0; j < theta.size(); ++j) {
        theta[j] += shift * (j % 2 == 0 ? 1.0 : -1.0);
      }
      DiagnosticsReport report;
      std::string error;
      ASSERT_TRUE(RunDiagnostics(options, *model, theta, &report, &error))
          << error;
      EXPECT_TRUE(report.AllPass())
          << "shift " << shift << " closed-form KL " << closed_form_kl << "\n"
          << FormatDiagnostics(report);
    }
  }
}

// (8) Bad input gives one clear message.
TEST(SoftmaxModelTest, BadInputIsRejectedWithAClearMessage) {
  Dataset data = SmallThreeClassData();
  std::string error;
  Dataset bad = data;
  bad.y[4] = 3.0;
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error,
            "response 3 in row 4 is not a class label of the softmax model "
            "with 3 classes (an integer in 0..2)");
  bad = data;
  bad.y[7] = 1.5;
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error,
            "response 1.5 in row 7 is not a class label of the softmax model "
            "with 3 classes (an integer in 0..2)");
  bad = data;
  bad.y[0] = -1.0;
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error.rfind("response -1 in row 0 is not a class label", 0), 0u)
      << error;
  bad = data;
  bad.x(6, 2) = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error, "non-finite value nan in row 6, column 'x2'");
  EXPECT_EQ(SoftmaxModel::Create(data, 1, &error), nullptr);
  EXPECT_EQ(error, "the softmax model needs num_classes >= 2, got 1");
  bad = data;
  bad.y.conservativeResize(59);
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error, "dimension mismatch: X has 60 rows but y has 59 entries");
  bad = data;
  bad.weights = Eigen::VectorXd::Ones(60);
  EXPECT_EQ(SoftmaxModel::Create(bad, 3, &error), nullptr);
  EXPECT_EQ(error, "softmax does not support prior weights or an offset");
  // Labels above K − 1 are refused even when they would be valid for more
  // classes; the same data with K = 4 is accepted (class 3 simply unseen).
  EXPECT_NE(SoftmaxModel::Create(data, 4, &error), nullptr) << error;
  // Responses passed to the per-sample functions are not trusted either.
  auto model = SoftmaxModel::Create(data, 3, &error);
  ASSERT_NE(model, nullptr) << error;
  RowMatrixXd responses = model->ObservedResponses();
  responses(2, 0) = 5.0;
  Eigen::VectorXd ll;
  model->LogLikelihoods(Eigen::VectorXd::Zero(6), responses, 0, 4, &ll);
  EXPECT_TRUE(std::isnan(ll[2]));
  EXPECT_TRUE(std::isfinite(ll[3]));
}

// Fewer rows than columns of X: F = Σ W_i ⊗ x_i x_iᵀ has rank
// at most N(K − 1). N = p is accepted although N < p(K − 1) parameters:
// each row carries K − 1 scores, and F is then positive definite.
TEST(SoftmaxModelTest, FewerObservationsThanColumnsAreRefused) {
  Dataset data = MakeSoftmaxRegressionData(4, 4, 3, 9).data;
  std::string error;
  auto model = SoftmaxModel::Create(data, 3, &error);
  ASSERT_NE(model, nullptr) << error;
  Eigen::MatrixXd fisher;
  ASSERT_TRUE(model->ExpectedFisher(Eigen::VectorXd::Zero(8), &fisher));
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(fisher);
  EXPECT_GT(eigen.eigenvalues().minCoeff(),
            1e-10 * eigen.eigenvalues().maxCoeff());
  data.x.conservativeResize(3, 4);
  data.y.conservativeResize(3);
  EXPECT_EQ(SoftmaxModel::Create(data, 3, &error), nullptr);
  EXPECT_EQ(error,
            "3 observations but 4 coefficients per class: softmax needs at "
            "least as many observations as columns of X (X has rank at most "
            "3, so the Fisher matrix has rank at most 6 < 8 parameters)");
}

}  // namespace
}  // namespace fisheropt
