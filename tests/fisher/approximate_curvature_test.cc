// The cheaper-than-exact curvatures of fisher/approximate_curvature.h: the
// row-subsampled Fisher (CurvatureOptions::subsample) and the Fisher
// accumulated in single precision (CurvatureOptions::precision), and Fisher
// scoring on each, which must still reach the exact MLE.

#include "fisher/approximate_curvature.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "fisher/curvature.h"
#include "optim/newton_solver.h"
#include "problems/glm_model.h"
#include "problems/problem_catalog.h"
#include "tests/exact_mle.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::ExactFit;
using testing::ExactMleProblem;
using testing::ExpectTheExactMle;
using testing::FisherScoring;
using testing::FitExactly;
using testing::RelativeError;

// The row-subsampled Fisher (SubsampleOptions::fraction): unbiased
// for the full matrix, reproducible from its seed, refused where it does not
// exist, and Fisher scoring on it still reaches the exact MLE.
TEST(SubsampledCurvatureTest, UnbiasedReproducibleAndConvergent) {
  auto problem = ExactMleProblem("logistic");
  const LikelihoodModel& model = *problem->model;
  const Eigen::VectorXd theta =
      Eigen::VectorXd::LinSpaced(model.NumParameters(), -0.3, 0.3);
  Eigen::MatrixXd full;
  ASSERT_TRUE(model.ExpectedFisher(theta, &full));
  CurvatureOptions options;
  options.type = CurvatureType::kExpectedFisher;
  options.subsample.fraction = 0.25;
  std::string error;
  auto curvature = CreateCurvature(options, model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  const int draws = 400;
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(full.rows(), full.cols());
  Eigen::MatrixXd first;
  for (int m = 0; m < draws; ++m) {
    Eigen::MatrixXd draw;
    ASSERT_TRUE(curvature->Compute(theta, &draw, &error)) << error;
    if (m == 0) first = draw;
    mean += draw / draws;
  }
  // One draw is off by about √((1 − f)/(fN)) ≈ 3 % (N = 3000); the mean of
  // 400 by 0.16 %.
  EXPECT_GT((first - full).norm(), 0.005 * full.norm());
  EXPECT_LT((mean - full).norm(), 0.01 * full.norm());
  // The same seed draws the same subsets.
  auto again = CreateCurvature(options, model, &error);
  Eigen::MatrixXd repeat;
  ASSERT_TRUE(again->Compute(theta, &repeat, &error));
  EXPECT_EQ(repeat, first);

  const ExactFit exact = FitExactly(model, problem->start);
  SolverOptions sub_options = FisherScoring();
  sub_options.curvature.subsample.fraction = 0.25;
  ExpectTheExactMle(sub_options, model, problem->start, exact, "f = 0.25");
}

// The adaptive size: k rows per parameter, fraction min(1, k·p/N).
TEST(SubsampledCurvatureTest, RowsPerParameterSetsTheFraction) {
  auto problem = ExactMleProblem("logistic");  // N = 3000, p = 8
  CurvatureOptions options;
  options.subsample.rows_per_parameter = 75.0;  // 600 rows: f = 0.2
  std::string error;
  auto curvature = CreateCurvature(options, *problem->model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->Approximation(), "rows subsampled, fraction 0.2");
  // The kept rows are weighed by 1/f = 5: C is unbiased, and from ~600 rows
  // off by about √(p/600) ≈ 12 % at most.
  const Eigen::VectorXd theta =
      Eigen::VectorXd::LinSpaced(problem->model->NumParameters(), -0.2, 0.2);
  Eigen::MatrixXd exact, subsampled;
  ASSERT_TRUE(problem->model->ExpectedFisher(theta, &exact));
  ASSERT_TRUE(curvature->Compute(theta, &subsampled, &error)) << error;
  EXPECT_GT((subsampled - exact).norm(), 0.01 * exact.norm());
  EXPECT_LT((subsampled - exact).norm(), 0.25 * exact.norm());
  // k·p ≥ N: every row, the exact matrix.
  options.subsample.rows_per_parameter = 400.0;
  curvature = CreateCurvature(options, *problem->model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->Approximation(), "");
  ASSERT_TRUE(curvature->Compute(theta, &subsampled, &error)) << error;
  EXPECT_EQ(subsampled, exact);
}

// The cost floor: at least f·N/p rows, whichever of the two sizes is larger.
TEST(SubsampledCurvatureTest, MinFlopsPerEntryRaisesTheSubset) {
  auto problem = ExactMleProblem("logistic");  // N = 3000, p = 8
  CurvatureOptions options;
  options.subsample.rows_per_parameter = 10.0;  // 80 rows
  options.subsample.min_flops_per_entry = 2.0;  // 2·3000/8 = 750 rows
  std::string error;
  auto curvature = CreateCurvature(options, *problem->model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->Approximation(), "rows subsampled, fraction 0.25");
  // The rows per parameter win when they ask for more: 150·8 = 1200 rows.
  options.subsample.rows_per_parameter = 150.0;
  curvature = CreateCurvature(options, *problem->model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->Approximation(), "rows subsampled, fraction 0.4");
  // Without rows per parameter the floor has nothing to raise.
  options.subsample.rows_per_parameter = 0.0;
  curvature = CreateCurvature(options, *problem->model, &error);
  ASSERT_NE(curvature, nullptr) << error;
  EXPECT_EQ(curvature->Approximation(), "");
  options.subsample.min_flops_per_entry = -1.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "SubsampleOptions::min_flops_per_entry = -1 must be "
            "finite and >= 0");
}

TEST(SubsampledCurvatureTest, RefusedWhereItDoesNotExist) {
  CurvatureOptions options;
  options.subsample.fraction = 0.0;
  std::string error;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "SubsampleOptions::fraction = 0 must be in (0, 1]");
  options.subsample.fraction = 1.0;
  options.subsample.rows_per_parameter = -1.0;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error,
            "SubsampleOptions::rows_per_parameter = -1 must be "
            "finite and >= 0");
  options.subsample.rows_per_parameter = 0.0;
  options.subsample.fraction = 0.5;
  auto mvn = ExactMleProblem("mvn");
  EXPECT_EQ(CreateCurvature(options, *mvn->model, &error), nullptr);
  EXPECT_EQ(error, "model 'mvn' has no row-subsampled expected_fisher");
  auto logistic = ExactMleProblem("logistic");
  options.type = CurvatureType::kEmpiricalFisher;
  EXPECT_EQ(CreateCurvature(options, *logistic->model, &error), nullptr);
  EXPECT_EQ(error,
            "a row-subsampled empirical_fisher is not available; use the "
            "expected_fisher or the hessian");
}

// The single-precision Fisher (float rank-k updates, double sums of the
// chunks) differs from the exact one by ~1e-7 relative, and Fisher scoring on
// it reaches the exact MLE: same NLL to 1e-10, same coefficients to 1e-8
// (the exactness the cheaper curvatures promise), on canonical and
// non-canonical GLMs, softmax, and an ill-conditioned design (AR(1) correlation
// 0.99 between neighbouring columns, column scales 1e-3 … 1e3, cond(F) > 1e12),
// where the float error of F times the scaled condition number still leaves a
// contraction far below 1.
std::unique_ptr<GlmModel> IllConditionedLogistic() {
  const int n = 4000;
  const int p = 8;
  std::mt19937_64 rng(31);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform;
  Dataset data;
  data.x.resize(n, p);
  data.y.resize(n);
  Eigen::VectorXd scale(p);
  Eigen::VectorXd beta(p);
  for (int j = 0; j < p; ++j) {
    scale[j] = j == 0 ? 1.0 : std::pow(10.0, -3.0 + 6.0 * (j - 1) / (p - 2));
    beta[j] = 0.3 * normal(rng) / scale[j];
  }
  for (int i = 0; i < n; ++i) {
    double previous = normal(rng);
    data.x(i, 0) = 1.0;
    for (int j = 1; j < p; ++j) {
      previous = 0.99 * previous + std::sqrt(1.0 - 0.99 * 0.99) * normal(rng);
      data.x(i, j) = scale[j] * previous;
    }
    const double eta = data.x.row(i).dot(beta);
    data.y[i] = uniform(rng) < 1.0 / (1.0 + std::exp(-eta)) ? 1.0 : 0.0;
  }
  std::string error;
  auto model =
      GlmModel::Create(std::move(data), GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

TEST(SinglePrecisionCurvatureTest, CloseToTheExactFisherAndReachesTheExactMle) {
  auto logistic = ExactMleProblem("logistic");
  auto poisson = ExactMleProblem("poisson");
  auto probit = ExactMleProblem("probit");
  auto softmax = ExactMleProblem("softmax");
  const auto ill_conditioned = IllConditionedLogistic();
  const std::vector<std::pair<std::string, const LikelihoodModel*>> models = {
      {"logistic", logistic->model.get()},
      {"poisson", poisson->model.get()},
      {"probit", probit->model.get()},
      {"softmax", softmax->model.get()},
      {"ill-conditioned logistic", ill_conditioned.get()}};
  for (const auto& [name, model] : models) {
    const int p = model->NumParameters();
    CurvatureOptions options;
    options.precision = GramPrecision::kSingle;
    std::string error;
    auto curvature = CreateCurvature(options, *model, &error);
    ASSERT_NE(curvature, nullptr) << error;
    const Eigen::VectorXd theta = Eigen::VectorXd::Constant(p, 0.01);
    Eigen::MatrixXd exact_fisher, single_fisher;
    ASSERT_TRUE(model->ExpectedFisher(theta, &exact_fisher));
    ASSERT_TRUE(curvature->Compute(theta, &single_fisher, &error)) << error;
    // Entry by entry relative to the diagonal scale √(F_jj F_kk), which is
    // what the Jacobi-scaled solve sees: the float rounding of the data
    // (2⁻²⁴ ≈ 6e-8) and of the chunk sums.
    const Eigen::VectorXd d = exact_fisher.diagonal().cwiseSqrt();
    const Eigen::MatrixXd scaled_error =
        (single_fisher - exact_fisher).cwiseQuotient(d * d.transpose());
    EXPECT_LT(scaled_error.cwiseAbs().maxCoeff(), 1e-6) << name;
    EXPECT_GT(scaled_error.cwiseAbs().maxCoeff(), 1e-12) << name;

    const Eigen::VectorXd start = Eigen::VectorXd::Zero(p);
    const ExactFit exact = FitExactly(*model, start);
    SolverOptions single_options = FisherScoring();
    single_options.curvature.precision = GramPrecision::kSingle;
    const SolverSummary summary =
        ExpectTheExactMle(single_options, *model, start, exact, name);
    EXPECT_EQ(summary.curvature_approximation, "single-precision Gram kernel");
    EXPECT_NE(summary.FullReport().find(
                  "approximation          single-precision Gram kernel"),
              std::string::npos);
  }
}

TEST(SinglePrecisionCurvatureTest,
     CombinesWithSubsamplingAndIsRefusedElsewhere) {
  auto logistic = ExactMleProblem("logistic");
  SolverOptions options = FisherScoring();
  options.curvature.precision = GramPrecision::kSingle;
  options.curvature.subsample.fraction = 0.5;
  options.curvature_reuse.max_age = 1000;
  const ExactFit exact = FitExactly(*logistic->model, logistic->start);
  const SolverSummary summary = ExpectTheExactMle(
      options, *logistic->model, logistic->start, exact, "single, subsampled");
  EXPECT_EQ(summary.curvature_approximation,
            "rows subsampled, fraction 0.5; single-precision Gram kernel");

  CurvatureOptions curvature_options;
  curvature_options.precision = GramPrecision::kSingle;
  std::string error;
  auto mvn = ExactMleProblem("mvn");
  EXPECT_EQ(CreateCurvature(curvature_options, *mvn->model, &error), nullptr);
  EXPECT_EQ(error, "model 'mvn' has no single-precision expected_fisher");
  curvature_options.type = CurvatureType::kMonteCarloFisher;
  EXPECT_EQ(CreateCurvature(curvature_options, *logistic->model, &error),
            nullptr);
  EXPECT_EQ(error,
            "a single-precision monte_carlo_fisher is not available; use the "
            "expected_fisher or the hessian");
}
}  // namespace
}  // namespace fisheropt
