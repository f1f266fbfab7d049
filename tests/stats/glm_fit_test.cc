#include "stats/glm_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "stats/anova.h"

namespace fisheropt {
namespace {

// The library's one-call fit stops where the command line does.
TEST(GlmSpecTest, DefaultsAreTheCommandLinesStoppingRules) {
  const GlmSpec spec;
  std::string error;
  EXPECT_TRUE(spec.IsValid(&error)) << error;
  EXPECT_EQ(spec.solver.curvature.type, CurvatureType::kExpectedFisher);
  EXPECT_EQ(spec.solver.stopping.max_iterations, 100);
  EXPECT_EQ(spec.solver.stopping.function_tolerance, 1e-12);
  EXPECT_EQ(spec.solver.stopping.parameter_tolerance, 1e-14);
}

// Twelve rows shared by the R comparisons below (R 4.x):
//   x  <- c(-1.2, -0.8, -0.5, -0.1, 0.0, 0.3, 0.7, 0.9, 1.4, 1.8, 2.1, 2.5)
//   z  <- c(0.5, 1.5, -0.3, 0.8, -1.1, 0.2, 1.9, -0.7, 0.4, -1.4, 1.1, 0.0)
//   t  <- c(10, 12, 8, 15, 20, 9, 11, 14, 7, 16, 13, 10)
//   yc <- c(2, 5, 1, 6, 9, 4, 8, 7, 6, 14, 13, 12)
//   yb <- c(0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1)
//   wb <- c(1, 2, 3, 1, 0, 2, 1, 4, 2, 1, 3, 1)
//   yg <- c(1.1, 2.3, 1.9, 3.2, 2.8, 3.9, 4.4, 4.1, 5.6, 6.2, 6.0, 7.4)
//   wg <- c(0.5, 1, 2, 1, 1.5, 1, 0.25, 1, 3, 1, 2, 1)
// Each R fit is refitted from its own estimate,
//   update(fit, start = coef(fit),
//          control = glm.control(epsilon = 1e-14, maxit = 100)),
// so that R's standard errors are those at the MLE.
const std::vector<double> kX = {-1.2, -0.8, -0.5, -0.1, 0.0, 0.3,
                                0.7,  0.9,  1.4,  1.8,  2.1, 2.5};
const std::vector<double> kZ = {0.5, 1.5,  -0.3, 0.8,  -1.1, 0.2,
                                1.9, -0.7, 0.4,  -1.4, 1.1,  0.0};
const std::vector<double> kExposure = {10, 12, 8, 15, 20, 9,
                                       11, 14, 7, 16, 13, 10};
const std::vector<double> kCounts = {2, 5, 1, 6, 9, 4, 8, 7, 6, 14, 13, 12};
const std::vector<double> kBinary = {0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1};
const std::vector<double> kBinaryWeights = {1, 2, 3, 1, 0, 2, 1, 4, 2, 1, 3, 1};
const std::vector<double> kContinuous = {1.1, 2.3, 1.9, 3.2, 2.8, 3.9,
                                         4.4, 4.1, 5.6, 6.2, 6.0, 7.4};
const std::vector<double> kContinuousWeights = {0.5,  1, 2, 1, 1.5, 1,
                                                0.25, 1, 3, 1, 2,   1};

Eigen::VectorXd Vector(const std::vector<double>& values) {
  return Eigen::Map<const Eigen::VectorXd>(
      values.data(), static_cast<Eigen::Index>(values.size()));
}

// Columns (Intercept), x, z (or x, z without the intercept).
Dataset Design(const std::vector<double>& y, bool intercept = true) {
  Dataset data;
  const int n = static_cast<int>(y.size());
  const int p = intercept ? 3 : 2;
  data.x.resize(n, p);
  for (int i = 0; i < n; ++i) {
    int j = 0;
    if (intercept) data.x(i, j++) = 1.0;
    data.x(i, j++) = kX[i];
    data.x(i, j) = kZ[i];
  }
  data.column_names = intercept
                          ? std::vector<std::string>{"(Intercept)", "x", "z"}
                          : std::vector<std::string>{"x", "z"};
  data.y = Vector(y);
  return data;
}

Eigen::VectorXd LogExposure() { return Vector(kExposure).array().log(); }

struct RFit {
  std::vector<double> estimates;
  std::vector<double> std_errors;
  double deviance, null_deviance, aic, bic, log_likelihood, dispersion;
  int df_residual, df_null;
};

// Relative agreement to 1e-8 (R's refit converges to 1e-14 in the
// deviance; estimates agree to about half of that, and more).
void ExpectMatchesR(const GlmFit& fit, const RFit& r) {
  ASSERT_EQ(fit.estimates.size(),
            static_cast<Eigen::Index>(r.estimates.size()));
  for (size_t j = 0; j < r.estimates.size(); ++j) {
    EXPECT_NEAR(fit.estimates[j], r.estimates[j],
                1e-8 * std::abs(r.estimates[j]))
        << fit.names[j];
    EXPECT_NEAR(fit.inference.coefficients[j].standard_error, r.std_errors[j],
                1e-8 * r.std_errors[j])
        << fit.names[j];
  }
  EXPECT_NEAR(fit.deviance, r.deviance, 1e-9 * r.deviance);
  EXPECT_NEAR(fit.null_deviance, r.null_deviance, 1e-9 * r.null_deviance);
  EXPECT_NEAR(fit.aic, r.aic, 1e-9 * std::abs(r.aic));
  EXPECT_NEAR(fit.bic, r.bic, 1e-9 * std::abs(r.bic));
  EXPECT_NEAR(fit.log_likelihood, r.log_likelihood,
              1e-9 * std::abs(r.log_likelihood));
  EXPECT_NEAR(fit.dispersion, r.dispersion, 1e-9 * r.dispersion);
  EXPECT_EQ(fit.df_residual, r.df_residual);
  EXPECT_EQ(fit.df_null, r.df_null);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.warnings.empty()) << fit.warnings.front();
}

// R: glm(yc ~ x + z + offset(log(t)), family = poisson); the null deviance
// is that of the fitted intercept-only model with the offset.
TEST(FitGlmTest, PoissonWithAnOffsetMatchesR) {
  Dataset data = Design(kCounts);
  data.offset = LogExposure();
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(std::move(data), spec, &fit, &error)) << error;
  ExpectMatchesR(
      fit, {{-0.88831869391094487, 0.43112140778988584, 0.07170297358118688},
            {0.15587388547423636, 0.099947369733928246, 0.10359735370923324},
            2.5208526692515072,
            21.663977370412312,
            52.236178314647887,
            53.690898264011892,
            -23.118089157323944,
            1.0,
            9,
            11});
  EXPECT_TRUE(fit.has_intercept);
  EXPECT_EQ(fit.rank, 3);
  EXPECT_EQ(fit.num_estimated, 3);
}

// R: glm(yc ~ 0 + x + z + offset(log(t)), family = poisson); without an
// intercept the null model is η = offset.
TEST(FitGlmTest, PoissonWithAnOffsetAndNoInterceptMatchesR) {
  Dataset data = Design(kCounts, /*intercept=*/false);
  data.offset = LogExposure();
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(std::move(data), spec, &fit, &error)) << error;
  ExpectMatchesR(fit, {{0.037825599129936993, -0.037921717870018794},
                       {0.064802828486465222, 0.07944548670732586},
                       48.146230152779857,
                       48.780318835129933,
                       95.861555798176241,
                       96.831369097752244,
                       -45.93077789908812,
                       1.0,
                       10,
                       12});
  EXPECT_FALSE(fit.has_intercept);
}

// R: glm(yb ~ x + z, family = binomial, weights = wb), with a weight of 0
// (the row leaves nobs and the degrees of freedom, as in R). R's BIC()
// counts that row (logLik's "nobs" attribute is 12 while nobs(fit) is 11);
// BIC here is −2ℓ + k log(nobs(fit)): R's 30.432640991932747 less
// 3 (log 12 − log 11).
TEST(FitGlmTest, LogisticWithFrequencyWeightsMatchesR) {
  Dataset data = Design(kBinary);
  data.weights = Vector(kBinaryWeights);
  GlmSpec spec;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(std::move(data), spec, &fit, &error)) << error;
  ExpectMatchesR(
      fit, {{-0.45167312610052845, 1.1353163461585056, 0.46160800384173467},
            {0.59503718774095904, 0.56594983168453683, 0.60762431683793472},
            22.977921042568749,
            28.682140397419808,
            28.977921042568745,
            30.432640991932747 - 3.0 * (std::log(12.0) - std::log(11.0)),
            -11.488960521284373,
            1.0,
            8,
            10});
  EXPECT_EQ(fit.num_observations, 11);
}

// R: glm(yg ~ x + z, family = gaussian, weights = wg): weights are
// precision weights, y_i ~ N(μ_i, σ²/w_i); R's gaussian()$aic.
TEST(FitGlmTest, GaussianWithPrecisionWeightsMatchesR) {
  Dataset data = Design(kContinuous);
  data.weights = Vector(kContinuousWeights);
  GlmSpec spec;
  spec.distribution = GlmDistribution::kGaussian;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(std::move(data), spec, &fit, &error)) << error;
  ExpectMatchesR(
      fit, {{3.060083547583667, 1.6112905025161732, 0.10243443196676111},
            {0.13651134745345464, 0.10174218935331605, 0.13143852625380417},
            1.7021584192943431,
            49.497459016393442,
            17.807480032871393,
            19.747106632023396,
            -4.9037400164356963,
            0.18912871325492703,
            9,
            11});
  EXPECT_EQ(fit.num_estimated, 4);  // β and σ
  EXPECT_EQ(fit.inference.StatisticName(), "t");
}

// An aliased column is NA in every output and named in a warning; the
// other estimates are those of the model without it.
TEST(FitGlmTest, AnAliasedColumnIsNaAndTheRestIsTheReducedFit) {
  Dataset data = Design(kCounts);
  data.x.conservativeResize(Eigen::NoChange, 4);
  data.x.col(3) = 2.0 * data.x.col(1) - data.x.col(2);
  data.column_names.push_back("w");
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  GlmFit with_alias, reduced;
  std::string error;
  ASSERT_TRUE(FitGlm(data, spec, &with_alias, &error)) << error;
  ASSERT_TRUE(FitGlm(Design(kCounts), spec, &reduced, &error)) << error;
  ASSERT_EQ(with_alias.aliased, (std::vector<bool>{false, false, false, true}));
  EXPECT_TRUE(std::isnan(with_alias.estimates[3]));
  EXPECT_TRUE(with_alias.inference.coefficients[3].aliased);
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(with_alias.estimates[j], reduced.estimates[j],
                1e-10 * std::abs(reduced.estimates[j]));
  }
  EXPECT_NEAR(with_alias.deviance, reduced.deviance, 1e-10 * reduced.deviance);
  EXPECT_EQ(with_alias.rank, 3);
  EXPECT_EQ(with_alias.df_residual, 9);
  ASSERT_EQ(with_alias.warnings.size(), 1u);
  EXPECT_NE(with_alias.warnings[0].find("'w' is aliased"), std::string::npos);
}

// A separated logistic design: the MLE does not exist, the fit says so.
TEST(FitGlmTest, SeparationMeansNotConverged) {
  std::vector<double> y(kX.size());
  for (size_t i = 0; i < kX.size(); ++i) y[i] = kX[i] > 0.5 ? 1.0 : 0.0;
  GlmSpec spec;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(Design(y), spec, &fit, &error)) << error;
  EXPECT_FALSE(fit.mle_exists);
  EXPECT_FALSE(fit.converged);
  ASSERT_FALSE(fit.warnings.empty());
  EXPECT_NE(fit.warnings.back().find("separation"), std::string::npos);
}

TEST(FitGlmTest, RefusesBadInputWithAMessage) {
  GlmSpec spec;
  GlmFit fit;
  std::string error;
  Dataset not_ones = Design(kCounts);
  not_ones.x(4, 0) = 2.0;
  EXPECT_FALSE(FitGlm(not_ones, spec, &fit, &error));
  EXPECT_EQ(error,
            "column 1 is named '(Intercept)' but is not a column of ones");
  Dataset too_few = Design(kCounts);
  too_few.x.conservativeResize(3, Eigen::NoChange);
  too_few.y.conservativeResize(3);
  EXPECT_FALSE(FitGlm(too_few, spec, &fit, &error));
  EXPECT_NE(error.find("3 rows but 3 coefficients"), std::string::npos)
      << error;
  spec.solver.stopping.function_tolerance = -1.0;
  EXPECT_FALSE(FitGlm(Design(kBinary), spec, &fit, &error));
  EXPECT_NE(error.find("function_tolerance"), std::string::npos) << error;
}

// R: glm(yc ~ x + z, family = quasipoisson) (refitted as above): the
// Poisson estimates, φ̂ = Pearson χ²/9, SEs scaled by √φ̂, t statistics,
// no likelihood.
TEST(FitGlmTest, QuasiPoissonScalesByThePearsonDispersion) {
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  spec.quasi_likelihood = true;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(Design(kCounts), spec, &fit, &error)) << error;
  EXPECT_NEAR(fit.dispersion, 1.038417447192864, 1e-9);
  const std::vector<double> se = {0.15814603777892094, 0.10054170779096276,
                                  0.11367528542880773};
  const std::vector<double> t = {10.40963094622348, 4.0009112575036943,
                                 -0.40948257207020061};
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(fit.inference.coefficients[j].standard_error, se[j],
                1e-8 * se[j]);
    EXPECT_NEAR(fit.inference.coefficients[j].statistic, t[j],
                1e-8 * std::abs(t[j]));
  }
  EXPECT_EQ(fit.inference.StatisticName(), "t");
  EXPECT_EQ(fit.FamilyName(), "quasipoisson");
  EXPECT_TRUE(std::isnan(fit.aic));
  EXPECT_TRUE(std::isnan(fit.log_likelihood));
  EXPECT_NE(fit.Report().find("AIC: NA\n"), std::string::npos);
  EXPECT_NE(fit.Report().find("(Dispersion parameter for quasipoisson family "
                              "taken to be 1.038417447)"),
            std::string::npos)
      << fit.Report();
}

// Columns (Intercept) and x only.
Dataset SmallDesign(const std::vector<double>& y) {
  Dataset data = Design(y);
  data.x.conservativeResize(Eigen::NoChange, 2);
  data.column_names.pop_back();
  return data;
}

// R: anova(glm(yc ~ x, poisson), glm(yc ~ x + z, poisson), test = "LRT")
// and the same with quasipoisson and test = "F" (glm.control(epsilon =
// 1e-14)): deviance 0.17405084439427654, Pr(>Chi) 0.67653650406441812;
// F 0.16761163332221082, Pr(>F) 0.69181525113922571.
TEST(AnovaTest, LikelihoodRatioAndFTestsMatchR) {
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  GlmFit small, big;
  std::string error;
  ASSERT_TRUE(FitGlm(SmallDesign(kCounts), spec, &small, &error)) << error;
  ASSERT_TRUE(FitGlm(Design(kCounts), spec, &big, &error)) << error;
  AnovaComparison lrt;
  ASSERT_TRUE(
      CompareNestedFits(small, big, AnovaTest::kLikelihoodRatio, &lrt, &error))
      << error;
  EXPECT_EQ(lrt.df, 1);
  EXPECT_NEAR(lrt.deviance, 0.17405084439427654, 1e-9);
  EXPECT_NEAR(lrt.p_value, 0.67653650406441812, 1e-9);

  spec.quasi_likelihood = true;
  ASSERT_TRUE(FitGlm(SmallDesign(kCounts), spec, &small, &error)) << error;
  ASSERT_TRUE(FitGlm(Design(kCounts), spec, &big, &error)) << error;
  AnovaComparison f;
  ASSERT_TRUE(CompareNestedFits(small, big, AnovaTest::kF, &f, &error))
      << error;
  EXPECT_NEAR(f.statistic, 0.16761163332221082, 1e-9);
  EXPECT_NEAR(f.p_value, 0.69181525113922571, 1e-9);
  EXPECT_NE(f.Report().find("Analysis of Deviance Table"), std::string::npos);

  // The order matters, and the models must be nested.
  EXPECT_FALSE(CompareNestedFits(big, small, AnovaTest::kF, &f, &error));
  EXPECT_NE(error.find("must be the smaller one"), std::string::npos);
}

// The report reads as R's summary.glm.
TEST(FitGlmTest, ReportHasRsLines) {
  Dataset data = Design(kCounts);
  data.offset = LogExposure();
  GlmSpec spec;
  spec.distribution = GlmDistribution::kPoisson;
  GlmFit fit;
  std::string error;
  ASSERT_TRUE(FitGlm(std::move(data), spec, &fit, &error)) << error;
  const std::string report = fit.Report("glm(yc ~ x + z + offset(log(t)))");
  EXPECT_NE(report.find("Call:\nglm(yc ~ x + z + offset(log(t)))\n"),
            std::string::npos);
  EXPECT_NE(report.find("(Dispersion parameter for poisson family taken to "
                        "be 1)"),
            std::string::npos);
  EXPECT_NE(report.find("    Null deviance: 21.66397737  on 11  degrees of "
                        "freedom\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("Residual deviance: 2.520852669  on 9  degrees of "
                        "freedom\n"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("AIC: 52.23617831\n"), std::string::npos) << report;
}

}  // namespace
}  // namespace fisheropt
