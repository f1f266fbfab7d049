// FitGlm and PredictGlm against R on R's own data sets (tests/data/r/: the
// CSV files, R's numbers and the R call beside them in each reference
// file, made by make_reference.R). Each case reads the CSV as a user would
// (ReadCsvFile, DataFrameFromCsv), fits the reference's formula with its
// family, link, weights and offset by the library's one call, and compares
// with R's refit from its own estimate (see tests/data/r/README.md):
// estimates and standard errors to 1e-7 (LRE ≥ 7), deviances, logLik, AIC,
// BIC and dispersion to 1e-9, degrees of freedom exactly, predictions
// (predict.glm type = "link" / "response", se.fit = TRUE) to 1e-8, and
// iteration counts within R's + 2.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "problems/csv_reader.h"
#include "stats/data_frame.h"
#include "stats/glm_fit.h"
#include "tests/stats/r_reference.h"

namespace fisheropt {
namespace {

using testing::LoadRReference;
using testing::RColumn;
using testing::RDataPath;
using testing::RReference;

bool ReadData(const std::string& file, DataFrame* frame, std::string* error) {
  CsvTable table;
  return ReadCsvFile(RDataPath(file), &table, error) &&
         DataFrameFromCsv(table, frame, error);
}

bool SpecOf(const RReference& r, GlmSpec* spec, std::string* error) {
  std::string family = r.family;
  if (family == "quasipoisson" || family == "quasibinomial") {
    spec->quasi_likelihood = true;
    family = family.substr(5);
  }
  GlmLink link;
  if (!FromString(family, &spec->distribution) || !FromString(r.link, &link)) {
    *error = "unknown family or link: " + r.family + "(" + r.link + ")";
    return false;
  }
  spec->link = link;
  return true;
}

void ExpectNear(double actual, double expected, double relative,
                const std::string& what) {
  EXPECT_NEAR(actual, expected, relative * std::max(std::abs(expected), 1e-300))
      << what;
}

// The fit warns as R does: nothing, except where R warns that "fitted
// probabilities numerically 0 or 1 occurred" (breast_cancer_mean, whose
// reference note says so) — and never of separation, since these MLEs
// exist.
void ExpectWarningsAsR(const RReference& r, const GlmFit& fit) {
  const bool r_warns = r.note.find("numerically 0 or 1") != std::string::npos;
  ASSERT_EQ(fit.warnings.size(), r_warns ? 1u : 0u)
      << (fit.warnings.empty() ? "no warning" : fit.warnings.front());
  if (r_warns) {
    EXPECT_NE(fit.warnings.front().find(
                  "fitted probabilities numerically 0 or 1 occurred"),
              std::string::npos)
        << fit.warnings.front();
  }
}

// Each case: R's reference, its CSV read as a user would, the formula and
// the frame options (weights) of R's call.
class RGlmTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    ASSERT_TRUE(LoadRReference(GetParam(), &r_, &error)) << error;
    ASSERT_TRUE(ReadData(r_.data_file, &data_, &error)) << error;
    formula_ = testing::FormulaForCsv(r_.data_file, r_.formula);
    options_.weights_column = r_.weights;
  }

  // The case's fit with `spec` (SpecOf(r_) plus what the test sets).
  void Fit(const GlmSpec& spec, GlmFit* fit) {
    std::string error;
    ASSERT_TRUE(FitGlm(formula_, data_, spec, options_, fit, &error)) << error;
  }

  RReference r_;
  DataFrame data_;
  std::string formula_;
  ModelFrameOptions options_;
};

TEST_P(RGlmTest, FitAndPredictionsMatchR) {
  const RReference& r = r_;
  SCOPED_TRACE(r.call);
  std::string error;
  GlmSpec spec;
  ASSERT_TRUE(SpecOf(r, &spec, &error)) << error;
  GlmFit fit;
  ASSERT_NO_FATAL_FAILURE(Fit(spec, &fit));

  ASSERT_EQ(fit.names.size(), r.names.size());
  for (size_t j = 0; j < r.names.size(); ++j) {
    EXPECT_EQ(testing::RNameOfCsvName(fit.names[j]), r.names[j]);
    ExpectNear(fit.estimates[j], r.estimates[j], 1e-7,
               "estimate " + r.names[j]);
    ExpectNear(fit.inference.coefficients[j].standard_error, r.std_errors[j],
               1e-7, "standard error " + r.names[j]);
    ExpectNear(fit.inference.coefficients[j].statistic, r.statistics[j], 1e-7,
               "statistic " + r.names[j]);
  }
  EXPECT_EQ(fit.inference.StatisticName(), r.statistic);
  ExpectNear(fit.deviance, r.deviance, 1e-9, "deviance");
  ExpectNear(fit.null_deviance, r.null_deviance, 1e-9, "null deviance");
  ExpectNear(fit.dispersion, r.dispersion, 1e-9, "dispersion");
  ExpectNear(fit.pearson_chi2, r.pearson_chi2, 1e-9, "Pearson chi2");
  if (std::isnan(r.loglik)) {
    EXPECT_TRUE(std::isnan(fit.log_likelihood));
    EXPECT_TRUE(std::isnan(fit.aic));
  } else {
    ExpectNear(fit.log_likelihood, r.loglik, 1e-9, "logLik");
    ExpectNear(fit.aic, r.aic, 1e-9, "AIC");
    ExpectNear(fit.bic, r.bic, 1e-9, "BIC");
    EXPECT_EQ(fit.num_estimated, r.loglik_df);
  }
  EXPECT_EQ(fit.df_residual, r.df_residual);
  EXPECT_EQ(fit.df_null, r.df_null);
  EXPECT_EQ(fit.rank, r.rank);
  EXPECT_TRUE(fit.converged);
  EXPECT_TRUE(fit.mle_exists);
  ExpectWarningsAsR(r, fit);
  EXPECT_LE(fit.summary.num_iterations(), r.iterations + 2)
      << "R's glm: " << r.iterations << " iterations";

  // predict.glm on the reference's new data.
  DataFrame newdata;
  for (const RColumn& column : r.newdata) {
    if (column.is_text) {
      ASSERT_TRUE(newdata.AddTextColumn(column.name, column.labels, &error))
          << error;
    } else {
      ASSERT_TRUE(newdata.AddNumericColumn(
          column.name,
          Eigen::Map<const Eigen::VectorXd>(
              column.numbers.data(),
              static_cast<Eigen::Index>(column.numbers.size())),
          &error))
          << error;
    }
  }
  for (const PredictionType type :
       {PredictionType::kLink, PredictionType::kResponse}) {
    const bool link = type == PredictionType::kLink;
    const Eigen::VectorXd& expected =
        link ? r.predict_link : r.predict_response;
    const Eigen::VectorXd& expected_se =
        link ? r.predict_link_se : r.predict_response_se;
    GlmPrediction prediction;
    ASSERT_TRUE(PredictGlm(fit, newdata, type, &prediction, &error)) << error;
    ASSERT_EQ(prediction.fit.size(), expected.size());
    for (Eigen::Index i = 0; i < expected.size(); ++i) {
      const std::string what =
          std::string(link ? "link" : "response") + " row " + std::to_string(i);
      ExpectNear(prediction.fit[i], expected[i], 1e-8, what);
      ExpectNear(prediction.se_fit[i], expected_se[i], 1e-8, "se " + what);
    }
  }
}

// R's sandwich::vcovHC(fit2, type = "HC0" ... "HC3") and, where the case
// names a cluster column, vcovCL(fit2, cluster =, type = "HC0" / "HC1"):
// standard errors to 1e-7.
TEST_P(RGlmTest, RobustStandardErrorsMatchSandwich) {
  const RReference& r = r_;
  SCOPED_TRACE(r.call);
  std::string error;
  const auto expect_std_errors = [&](const GlmSpec& spec,
                                     const Eigen::VectorXd& expected,
                                     const std::string& what) {
    GlmFit fit;
    ASSERT_NO_FATAL_FAILURE(Fit(spec, &fit));
    ASSERT_EQ(static_cast<Eigen::Index>(fit.names.size()), expected.size());
    ExpectWarningsAsR(r, fit);
    for (Eigen::Index j = 0; j < expected.size(); ++j) {
      ExpectNear(fit.inference.coefficients[j].standard_error, expected[j],
                 1e-7, what + " standard error " + r.names[j]);
    }
  };
  const RobustCovariance types[] = {
      RobustCovariance::kHC0, RobustCovariance::kHC1, RobustCovariance::kHC2,
      RobustCovariance::kHC3};
  for (int type = 0; type < 4; ++type) {
    GlmSpec spec;
    ASSERT_TRUE(SpecOf(r, &spec, &error)) << error;
    spec.robust = types[type];
    expect_std_errors(spec, r.std_errors_hc[type], ToString(types[type]));
  }
  if (!r.cluster.empty()) {
    for (const RobustCovariance type :
         {RobustCovariance::kHC0, RobustCovariance::kHC1}) {
      GlmSpec spec;
      ASSERT_TRUE(SpecOf(r, &spec, &error)) << error;
      spec.robust = type;
      spec.cluster_column = r.cluster;
      expect_std_errors(spec,
                        type == RobustCovariance::kHC0
                            ? r.std_errors_cluster_hc0
                            : r.std_errors_cluster_hc1,
                        "cluster " + ToString(type));
    }
  }
}

INSTANTIATE_TEST_SUITE_P(
    R, RGlmTest,
    ::testing::Values("warpbreaks_poisson", "warpbreaks_poisson_sqrt",
                      "warpbreaks_quasipoisson", "infert_logit",
                      "infert_probit", "infert_cloglog",
                      "insurance_poisson_offset", "esoph_binomial",
                      "ucbadmissions_binomial", "clotting_gamma_inverse",
                      "clotting_gamma_log", "clotting_inverse_gaussian",
                      "breast_cancer_mean"),
    [](const ::testing::TestParamInfo<std::string>& info) {
      return info.param;
    });

// All 30 features of the breast-cancer data separate the classes
// completely (a hyperplane puts every benign case on one side): the MLE
// does not exist, R's glm reports absurd estimates (|β| ~ 1e16) with
// "converged", and the fit must say so instead.
TEST(RGlmSeparationTest, BreastCancerAllFeaturesAreSeparated) {
  DataFrame data;
  std::string error;
  ASSERT_TRUE(ReadData("breast_cancer.csv", &data, &error)) << error;
  GlmSpec spec;
  spec.distribution = GlmDistribution::kBinomial;
  GlmFit fit;
  ASSERT_TRUE(FitGlm("benign ~ .", data, spec, {}, &fit, &error)) << error;
  EXPECT_EQ(fit.names.size(), 31u);
  EXPECT_FALSE(fit.mle_exists);
  EXPECT_FALSE(fit.converged);
  EXPECT_LT(fit.deviance, 1e-6);  // every case fitted to within 1e-6
  bool warned = false;
  for (const std::string& warning : fit.warnings) {
    warned |= warning.find("separated") != std::string::npos &&
              warning.find("the MLE does not exist") != std::string::npos;
  }
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace fisheropt
