// FitNegativeBinomial against MASS::glm.nb on R's quine data
// (tests/data/r/reference/quine_negbin.json: the refit with epsilon = 1e-14),
// and the θ estimator's pieces against R.

#include "stats/negative_binomial.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "tests/stats/r_reference.h"

namespace fisheropt {
namespace {

using testing::LoadRReference;
using testing::RDataPath;
using testing::RReference;

void ExpectRelative(double actual, double expected, double relative,
                    const std::string& what) {
  EXPECT_NEAR(actual, expected, relative * std::abs(expected)) << what;
}

bool ReadQuine(DataFrame* frame, std::string* error) {
  CsvTable table;
  return ReadCsvFile(RDataPath("quine.csv"), &table, error) &&
         DataFrameFromCsv(table, frame, error);
}

TEST(DigammaTest, MatchesR) {
  // R: options(digits = 17); digamma(c(0.01, 0.5, 1, 3.7, 12, 250))
  const double x[] = {0.01, 0.5, 1, 3.7, 12, 250};
  const double r[] = {-100.56088545786866462, -1.96351002602142310,
                      -0.57721566490153231,   1.16715353936151134,
                      2.44266167997581185,    5.51945958453104613};
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR(Digamma(x[k]), r[k], 1e-14 * std::abs(r[k])) << x[k];
  }
  // R: trigamma(c(0.01, 0.5, 1, 3.7, 12, 250))
  const double t[] = {1.0001621213528313e+04, 4.9348022005446790e+00,
                      1.6449340668482264e+00, 3.1003785767003833e-01,
                      8.6901872871768385e-02, 4.0080106666325358e-03};
  for (int k = 0; k < 6; ++k) {
    EXPECT_NEAR(Trigamma(x[k]), t[k], 1e-13 * t[k]) << x[k];
  }
}

TEST(NegativeBinomialThetaTest, MatchesThetaMl) {
  // R: library(MASS); y <- c(0, 1, 4, 7, 2, 0, 12, 3); mu <- c(1.5, 2, 3, 4,
  // 2.5, 1, 6, 3); options(digits = 17); t <- theta.ml(y, mu, limit = 100,
  // eps = 1e-14); c(t, attr(t, "SE"))  # 7.7267905090788505 12.129061487380602
  constexpr double kRTheta = 7.7267905090788505;
  constexpr double kRThetaSe = 12.129061487380602;
  Eigen::VectorXd y(8), mu(8);
  y << 0, 1, 4, 7, 2, 0, 12, 3;
  mu << 1.5, 2, 3, 4, 2.5, 1, 6, 3;
  double theta = 0.0, se = 0.0;
  std::string error;
  ASSERT_TRUE(EstimateNegativeBinomialTheta(y, mu, Eigen::VectorXd(), 0.0,
                                            &theta, &se, &error))
      << error;
  ExpectRelative(theta, kRTheta, 1e-10, "theta");
  ExpectRelative(se, kRThetaSe, 1e-10, "SE(theta)");
}

TEST(NegativeBinomialThetaTest, PoissonDataIsAnErrorNamingTheta) {
  Eigen::VectorXd y(4), mu(4);
  y << 1, 2, 3, 2;
  mu << 1, 2, 3, 2;  // y = μ: no overdispersion, the moment estimate is ∞
  double theta = 0.0, se = 0.0;
  std::string error;
  EXPECT_FALSE(EstimateNegativeBinomialTheta(y, mu, Eigen::VectorXd(), 0.0,
                                             &theta, &se, &error));
  EXPECT_NE(error.find("theta"), std::string::npos) << error;
}

TEST(NegativeBinomialFitTest, QuineMatchesGlmNb) {
  RReference r;
  std::string error;
  ASSERT_TRUE(LoadRReference("quine_negbin", &r, &error)) << error;
  SCOPED_TRACE(r.refit_call);
  DataFrame data;
  ASSERT_TRUE(ReadQuine(&data, &error)) << error;
  NegativeBinomialFit fit;
  ASSERT_TRUE(FitNegativeBinomial(r.formula, data, GlmSpec(), {}, &fit, &error))
      << error;
  const GlmFit& glm = fit.glm;
  ASSERT_EQ(glm.names.size(), r.names.size());
  for (size_t j = 0; j < r.names.size(); ++j) {
    EXPECT_EQ(glm.names[j], r.names[j]);
    ExpectRelative(glm.estimates[j], r.estimates[j], 1e-7,
                   "estimate " + r.names[j]);
    ExpectRelative(glm.inference.coefficients[j].standard_error,
                   r.std_errors[j], 1e-7, "standard error " + r.names[j]);
    ExpectRelative(glm.inference.coefficients[j].statistic, r.statistics[j],
                   1e-7, "z " + r.names[j]);
  }
  EXPECT_EQ(glm.inference.StatisticName(), r.statistic);
  ExpectRelative(fit.theta, r.theta, 1e-7, "theta");
  // glm.nb's SE(θ) is theta.ml's information at the Newton iterate before
  // the last step (eps = 1.2e-4): 3e-6 from the information at θ̂, which
  // is what FitNegativeBinomial reports. R at θ̂ (the tight fit's means):
  //   t <- theta.ml(quine$Days, fitted(m), limit = 100, eps = 1e-14)
  //   attr(t, "SE")  # 0.16103566171498029
  ExpectRelative(fit.theta_se, 0.16103566171498029, 1e-9, "SE(theta)");
  ExpectRelative(fit.theta_se, r.theta_se, 5e-6, "SE(theta), glm.nb's");
  ExpectRelative(fit.two_log_likelihood, r.twologlik, 1e-9, "twologlik");
  ExpectRelative(glm.log_likelihood, r.loglik, 1e-9, "logLik");
  ExpectRelative(glm.deviance, r.deviance, 1e-9, "deviance");
  ExpectRelative(glm.null_deviance, r.null_deviance, 1e-9, "null deviance");
  ExpectRelative(glm.pearson_chi2, r.pearson_chi2, 1e-9, "Pearson chi2");
  ExpectRelative(glm.aic, r.aic, 1e-9, "AIC");
  ExpectRelative(glm.bic, r.bic, 1e-9, "BIC");
  EXPECT_EQ(glm.dispersion, 1.0);
  EXPECT_EQ(glm.num_estimated, r.loglik_df);
  EXPECT_EQ(glm.df_residual, r.df_residual);
  EXPECT_EQ(glm.df_null, r.df_null);
  EXPECT_EQ(glm.rank, r.rank);
  EXPECT_TRUE(glm.converged);
  EXPECT_TRUE(glm.warnings.empty()) << glm.warnings.front();
  EXPECT_GE(fit.outer_iterations, 1);
  EXPECT_LE(fit.outer_iterations, 30);
  EXPECT_EQ(glm.FamilyName(), "negative.binomial");
  const std::string report = fit.Report();
  EXPECT_NE(report.find("Theta: 1.27489"), std::string::npos) << report;

  // predict.glm at the reference's new data (the fit keeps its frame).
  DataFrame newdata;
  for (const testing::RColumn& column : r.newdata) {
    ASSERT_TRUE(newdata.AddTextColumn(column.name, column.labels, &error))
        << error;
  }
  GlmPrediction prediction;
  ASSERT_TRUE(
      PredictGlm(glm, newdata, PredictionType::kResponse, &prediction, &error))
      << error;
  for (Eigen::Index i = 0; i < r.predict_response.size(); ++i) {
    ExpectRelative(prediction.fit[i], r.predict_response[i], 1e-7, "response");
    ExpectRelative(prediction.se_fit[i], r.predict_response_se[i], 1e-7,
                   "se response");
  }
}

TEST(NegativeBinomialFitTest, BadThetaAndLinkAreErrors) {
  DataFrame data;
  std::string error;
  ASSERT_TRUE(ReadQuine(&data, &error)) << error;
  NegativeBinomialFit fit;
  GlmSpec spec;
  for (double bad : {0.0, -1.0, std::nan(""), HUGE_VAL}) {
    spec.theta = bad;
    EXPECT_FALSE(
        FitNegativeBinomial("Days ~ Eth", data, spec, {}, &fit, &error));
    EXPECT_NE(error.find("theta"), std::string::npos) << error;
  }
  spec.theta.reset();
  spec.link = GlmLink::kLogit;
  EXPECT_FALSE(FitNegativeBinomial("Days ~ Eth", data, spec, {}, &fit, &error));
  EXPECT_NE(error.find("logit"), std::string::npos) << error;
  // FitGlm with the negative.binomial family needs θ.
  GlmSpec fixed;
  fixed.distribution = GlmDistribution::kNegativeBinomial;
  GlmFit glm;
  EXPECT_FALSE(FitGlm("Days ~ Eth", data, fixed, {}, &glm, &error));
  EXPECT_NE(error.find("theta"), std::string::npos) << error;
  fixed.theta = -2.0;
  EXPECT_FALSE(FitGlm("Days ~ Eth", data, fixed, {}, &glm, &error));
  EXPECT_NE(error.find("theta = -2"), std::string::npos) << error;
}

}  // namespace
}  // namespace fisheropt
