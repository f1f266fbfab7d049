#include "fisher/inference.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>

#include "tests/fisher/fisher_test_models.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

// The logistic data set of every R reference below (R 4.2, Debian
// r-base-core, r-cran-sandwich 3.0-2):
//   options(digits = 17)
//   i <- 1:40; x1 <- (i - 20.5) / 10; x2 <- cos(i); x3 <- sin(2 * i)
//   u <- (i * 0.6180339887498949) %% 1
//   y <- as.integer(u < plogis(0.3 + 0.8 * x1 - 0.5 * x2))
//   control <- glm.control(epsilon = 1e-14, maxit = 100)
//   fit <- glm(y ~ x1 + x2 + x3, family = binomial, control = control)
//   # vcov uses the IRLS weights of the penultimate iterate; refitting from
//   # the converged point evaluates them at the MLE itself:
//   refit <- glm(y ~ x1 + x2 + x3, family = binomial, start = coef(fit),
//                control = control)
constexpr int kRows = 40;
constexpr double kResponses[kRows] = {0, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 0,
                                      1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1,
                                      0, 1, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1};

// With `collinear`, a column x4 = x1 + 2 x2 sits between x2 and x3.
Dataset RLogisticData(bool collinear) {
  Dataset data;
  const int p = collinear ? 5 : 4;
  data.x.resize(kRows, p);
  data.y.resize(kRows);
  for (int i = 1; i <= kRows; ++i) {
    const double x1 = (i - 20.5) / 10.0, x2 = std::cos(i),
                 x3 = std::sin(2.0 * i);
    if (collinear) {
      data.x.row(i - 1) << 1.0, x1, x2, x1 + 2.0 * x2, x3;
    } else {
      data.x.row(i - 1) << 1.0, x1, x2, x3;
    }
    data.y[i - 1] = kResponses[i - 1];
  }
  data.column_names = {"(Intercept)", "x1", "x2", "x3"};
  if (collinear) data.column_names = {"(Intercept)", "x1", "x2", "x4", "x3"};
  return data;
}

// summary(refit)$coefficients: Estimate, Std. Error, z value, Pr(>|z|).
const double kRCoefficients[4][4] = {
    {0.37377953220039190, 0.35955778241989217, 1.03955344725063292,
     0.298547414569884206},
    {0.85470118679764151, 0.33973952846919270, 2.51575432110822250,
     0.011877794739453438},
    {-0.41605329277608816, 0.51325795315828171, -0.81061246146493326,
     0.417588258313191407},
    {-0.05518930762092638, 0.50047286761524779, -0.11027432492774947,
     0.912191818800099141}};

void ExpectMatchesR(const InferenceResult& result, double tolerance) {
  ASSERT_EQ(result.coefficients.size(), 4u);
  for (int j = 0; j < 4; ++j) {
    const CoefficientInference& c = result.coefficients[j];
    EXPECT_NEAR(c.estimate / kRCoefficients[j][0], 1.0, tolerance) << c.name;
    EXPECT_NEAR(c.standard_error / kRCoefficients[j][1], 1.0, tolerance)
        << c.name;
    EXPECT_NEAR(c.statistic / kRCoefficients[j][2], 1.0, tolerance) << c.name;
    EXPECT_NEAR(c.p_value / kRCoefficients[j][3], 1.0, tolerance) << c.name;
  }
}

std::unique_ptr<GlmModel> RLogisticModel(bool collinear) {
  std::string error;
  auto model = GlmModel::Create(RLogisticData(collinear),
                                GlmFamilyType::kBernoulliLogit, &error);
  EXPECT_NE(model, nullptr) << error;
  return model;
}

TEST(InferenceTest, InverseFisherMatchesRGlmSummary) {
  auto model = RLogisticModel(false);
  const Eigen::VectorXd mle =
      testing::NewtonMle(*model, Eigen::VectorXd::Zero(4));
  InferenceResult result;
  std::string error;
  ASSERT_TRUE(
      ComputeInference(InferenceOptions(), *model, mle, &result, &error))
      << error;
  EXPECT_EQ(result.StatisticName(), "z");
  EXPECT_TRUE(result.aliased.empty());
  ExpectMatchesR(result, 1e-9);
  EXPECT_EQ(result.coefficients[1].name, "x1");

  // confint.default(refit, level = 0.9): Wald intervals.
  const double r_intervals[4][2] = {
      {-0.21764039031159615, 0.96519945471237967},
      {0.29587939117630679, 1.41352298241897589},
      {-1.26028749859017686, 0.42818091303799999},
      {-0.87839391910867082, 0.76801530386681760}};
  InferenceOptions options;
  options.confidence_level = 0.9;
  ASSERT_TRUE(ComputeInference(options, *model, mle, &result, &error));
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(result.coefficients[j].lower, r_intervals[j][0], 1e-9);
    EXPECT_NEAR(result.coefficients[j].upper, r_intervals[j][1], 1e-9);
  }

  // Canonical link: the observed information is the same matrix.
  options.covariance_source = CovarianceSource::kInverseObservedInformation;
  ASSERT_TRUE(ComputeInference(options, *model, mle, &result, &error));
  ExpectMatchesR(result, 1e-9);
}

TEST(InferenceTest, SandwichMatchesRVcovHC0) {
  // library(sandwich); vcovHC(refit, type = "HC0")
  Eigen::Matrix4d r_hc0;
  r_hc0 << 0.1293036923393335869, 0.0161561400079426216, 0.0074978402147309097,
      -0.0081168776749018581,  //
      0.0161561400079426182, 0.1130619899181377619, 0.0015492160368530369,
      0.0223820707833482374,  //
      0.0074978402147309071, 0.0015492160368530284, 0.2486967744097198230,
      -0.0456603014461723980,  //
      -0.0081168776749018564, 0.0223820707833482409, -0.0456603014461723911,
      0.3063567149016276914;
  auto model = RLogisticModel(false);
  const Eigen::VectorXd mle =
      testing::NewtonMle(*model, Eigen::VectorXd::Zero(4));
  InferenceOptions options;
  options.covariance_source = CovarianceSource::kSandwich;
  InferenceResult result;
  std::string error;
  ASSERT_TRUE(ComputeInference(options, *model, mle, &result, &error)) << error;
  EXPECT_LT(RelativeError(result.covariance, r_hc0), 1e-9);
  for (int j = 0; j < 4; ++j) {
    EXPECT_NEAR(result.coefficients[j].standard_error / std::sqrt(r_hc0(j, j)),
                1.0, 1e-9);
  }
}

TEST(InferenceTest, CollinearColumnIsAliasedByNameLikeR) {
  // fit4 <- glm(y ~ x1 + x2 + x4 + x3, family = binomial) with
  // x4 <- x1 + 2 * x2: coef(fit4)["x4"] is NA and the other coefficients are
  // those of the full-rank fit (summary(fit4)$aliased: x4 TRUE).
  auto model = RLogisticModel(true);
  auto full_rank = RLogisticModel(false);
  const Eigen::VectorXd mle =
      testing::NewtonMle(*full_rank, Eigen::VectorXd::Zero(4));
  Eigen::VectorXd theta(5);
  theta << mle[0], mle[1], mle[2], 0.0, mle[3];
  for (CovarianceSource source : {CovarianceSource::kInverseFisher,
                                  CovarianceSource::kInverseObservedInformation,
                                  CovarianceSource::kSandwich}) {
    InferenceOptions options;
    options.covariance_source = source;
    InferenceResult result;
    std::string error;
    ASSERT_TRUE(ComputeInference(options, *model, theta, &result, &error))
        << error;
    ASSERT_EQ(result.aliased, std::vector<std::string>{"x4"});
    EXPECT_TRUE(result.coefficients[3].aliased);
    EXPECT_TRUE(std::isnan(result.coefficients[3].estimate));
    EXPECT_TRUE(std::isnan(result.coefficients[3].standard_error));
    EXPECT_TRUE(std::isnan(result.covariance(3, 0)));
    EXPECT_TRUE(std::isnan(result.covariance(1, 3)));
    if (source != CovarianceSource::kSandwich) {
      InferenceResult reduced = result;
      reduced.coefficients.erase(reduced.coefficients.begin() + 3);
      ExpectMatchesR(reduced, 1e-8);
    }
    const std::string table = FormatCoefficientTable(result);
    EXPECT_NE(table.find("x4"), std::string::npos) << table;
    EXPECT_NE(table.find("(1 not defined because of singularities: x4)"),
              std::string::npos)
        << table;
  }
}

TEST(InferenceTest, StudentTWithDispersionMatchesRLm) {
  // lfit <- lm(yc ~ x1 + x2) with i, x1, x2 as above and
  // yc <- 1 + 0.5 * x1 + sin(5 * i); summary(lfit)$coefficients,
  // summary(lfit)$sigma^2 = 0.54629011970614949, lfit$df.residual = 37,
  // confint(lfit, level = 0.95). Cov = σ̂² (XᵀX)⁻¹: the curvature of the
  // Gaussian NLL with σ = 1 is XᵀX, and φ = σ̂².
  Eigen::MatrixXd x(kRows, 3);
  Eigen::VectorXd y(kRows);
  for (int i = 1; i <= kRows; ++i) {
    const double x1 = (i - 20.5) / 10.0;
    x.row(i - 1) << 1.0, x1, std::cos(i);
    y[i - 1] = 1.0 + 0.5 * x1 + std::sin(5.0 * i);
  }
  const Eigen::MatrixXd gram = x.transpose() * x;
  const Eigen::VectorXd beta = gram.llt().solve(x.transpose() * y);
  InferenceOptions options;
  options.dispersion = 0.54629011970614949;
  options.degrees_of_freedom = 37;
  InferenceResult result;
  std::string error;
  ASSERT_TRUE(ComputeInferenceFromCurvatures(options,
                                             {"(Intercept)", "x1", "x2"}, beta,
                                             gram, nullptr, &result, &error))
      << error;
  EXPECT_EQ(result.StatisticName(), "t");
  const double r[3][6] = {
      {0.980279380446111848, 0.11686596823231363, 8.38806536473860298,
       4.3868822330011785e-10, 0.74348643642919865, 1.21707232446302505},
      {0.522240692176085486, 0.10135188544436123, 5.15274767594509164,
       8.7909332466495359e-06, 0.31688226577493112, 0.72759911857723991},
      {-0.058996605601069313, 0.16729602485169498, -0.35264798224206928,
       7.2635338909948810e-01, -0.39797055025030414, 0.27997733904816557}};
  for (int j = 0; j < 3; ++j) {
    const CoefficientInference& c = result.coefficients[j];
    EXPECT_NEAR(c.estimate / r[j][0], 1.0, 1e-10);
    EXPECT_NEAR(c.standard_error / r[j][1], 1.0, 1e-10);
    EXPECT_NEAR(c.statistic / r[j][2], 1.0, 1e-10);
    EXPECT_NEAR(c.p_value / r[j][3], 1.0, 1e-9);
    EXPECT_NEAR(c.lower, r[j][4], 1e-10);
    EXPECT_NEAR(c.upper, r[j][5], 1e-10);
  }
  const std::string table = FormatCoefficientTable(result, true, true);
  EXPECT_NE(table.find("Pr(>|t|)"), std::string::npos) << table;
  EXPECT_NE(table.find("2.5 %"), std::string::npos) << table;
  EXPECT_NE(table.find("***"), std::string::npos) << table;
}

TEST(InferenceTest, SandwichEqualsModelBasedCovarianceInExpectation) {
  // Well-specified logistic model: over data sets drawn at θ0, the average
  // sandwich H⁻¹ F_emp H⁻¹ and the average F⁻¹ (both at each data set's
  // MLE) agree within the Monte Carlo error of their difference. HC0 is
  // biased low by O(p/N) (here ≈ 1%), inside the 4-SE tolerance.
  auto base = testing::Logistic(400, 3, 17);
  const Eigen::Vector3d theta0(0.3, -0.6, 0.4);
  RandomEngine rng(2024);
  const int datasets = 300;
  Eigen::MatrixXd mean_difference = Eigen::MatrixXd::Zero(3, 3);
  Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(3, 3);
  Eigen::MatrixXd mean_model = Eigen::MatrixXd::Zero(3, 3);
  RowMatrixXd sampled;
  for (int m = 0; m < datasets; ++m) {
    base->SampleResponses(theta0, &rng, &sampled);
    Dataset data = base->data();
    data.y = sampled.col(0);
    std::string error;
    auto model = GlmModel::Create(data, GlmFamilyType::kBernoulliLogit, &error);
    ASSERT_NE(model, nullptr) << error;
    const Eigen::VectorXd mle = testing::NewtonMle(*model, theta0);
    InferenceResult model_based, sandwich;
    InferenceOptions options;
    ASSERT_TRUE(ComputeInference(options, *model, mle, &model_based, &error))
        << error;
    options.covariance_source = CovarianceSource::kSandwich;
    ASSERT_TRUE(ComputeInference(options, *model, mle, &sandwich, &error))
        << error;
    const Eigen::MatrixXd difference =
        sandwich.covariance - model_based.covariance;
    const Eigen::MatrixXd deviation = difference - mean_difference;
    mean_difference += deviation / (m + 1.0);
    squares += deviation.cwiseProduct(difference - mean_difference);
    mean_model += model_based.covariance / datasets;
  }
  const Eigen::MatrixXd standard_error =
      (squares / ((datasets - 1.0) * datasets)).cwiseSqrt();
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      EXPECT_LT(std::abs(mean_difference(i, j)), 4.0 * standard_error(i, j))
          << "entry (" << i << ", " << j << "): model " << mean_model(i, j);
    }
  }
  // The test can fail: the standard error is small against the entries.
  EXPECT_LT(standard_error.diagonal().maxCoeff(),
            0.05 * mean_model.diagonal().minCoeff());
}

TEST(InferenceTest, ErrorsNameTheProblem) {
  InferenceOptions options;
  options.confidence_level = 1.0;
  std::string error;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "InferenceOptions::confidence_level = 1 must be in (0, 1)");
  options = InferenceOptions();
  options.dispersion = -1;
  EXPECT_FALSE(options.IsValid(&error));
  EXPECT_EQ(error, "InferenceOptions::dispersion = -1 must be finite and > 0");

  // An indefinite matrix is not a covariance's inverse.
  Eigen::Matrix2d indefinite;
  indefinite << 1.0, 0.0, 0.0, -1.0;
  InferenceResult result;
  EXPECT_FALSE(ComputeInferenceFromCurvatures(InferenceOptions(), {"a", "b"},
                                              Eigen::Vector2d(1, 2), indefinite,
                                              nullptr, &result, &error));
  EXPECT_NE(error.find("parameter 'b'"), std::string::npos) << error;
  EXPECT_FALSE(ComputeInferenceFromCurvatures(InferenceOptions(), {"a"},
                                              Eigen::Vector2d(1, 2), indefinite,
                                              nullptr, &result, &error));
  EXPECT_EQ(error, "1 parameter names for 2 parameters");
}

TEST(InferenceTest, CovarianceSourceNamesRoundTrip) {
  for (CovarianceSource source : {CovarianceSource::kInverseFisher,
                                  CovarianceSource::kInverseObservedInformation,
                                  CovarianceSource::kSandwich}) {
    CovarianceSource parsed = CovarianceSource::kInverseFisher;
    ASSERT_TRUE(FromString(ToString(source), &parsed));
    EXPECT_EQ(parsed, source);
  }
}

}  // namespace
}  // namespace fisheropt
