#include "tests/stats/r_reference.h"

#include <gtest/gtest.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fisheropt {
namespace testing {
namespace {

// The fitted models of tests/data/r/reference/.
const std::vector<std::string>& FitCases() {
  static const std::vector<std::string> cases = {
      "breast_cancer_mean",      "clotting_gamma_inverse",
      "clotting_gamma_log",      "clotting_inverse_gaussian",
      "esoph_binomial",          "housing_multinom",
      "infert_cloglog",          "infert_logit",
      "infert_probit",           "insurance_poisson_offset",
      "iris_multinom",           "quine_negbin",
      "ucbadmissions_binomial",  "warpbreaks_poisson",
      "warpbreaks_poisson_sqrt", "warpbreaks_quasipoisson",
  };
  return cases;
}

// Its analyses of deviance.
const std::vector<std::string>& AnovaCases() {
  static const std::vector<std::string> cases = {"warpbreaks_anova_f",
                                                 "warpbreaks_anova_lrt"};
  return cases;
}

// |a − b| ≤ tolerance · max(|b|, 1).
::testing::AssertionResult Near(double a, double b, double tolerance) {
  if (std::abs(a - b) <= tolerance * std::max(std::abs(b), 1.0)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << a << " and " << b << " differ by " << std::abs(a - b)
         << ", relative tolerance " << tolerance;
}

RReference LoadOrDie(const std::string& case_name) {
  RReference reference;
  std::string error;
  if (!LoadRReference(case_name, &reference, &error)) {
    ADD_FAILURE() << error;
  }
  return reference;
}

RCsvTable ReadOrDie(const std::string& file) {
  RCsvTable table;
  std::string error;
  if (!ReadRCsv(file, &table, &error)) ADD_FAILURE() << error;
  return table;
}

// The distinct labels of a CSV column, sorted as bytes (std::string's
// order): a text column's factor levels, the first one the baseline.
std::vector<std::string> SortedLevels(const RCsvTable& table, int column) {
  const std::set<std::string> levels(table.cells[column].begin(),
                                     table.cells[column].end());
  return {levels.begin(), levels.end()};
}

// μ = g⁻¹(η) and dμ/dη for R's links.
bool InverseLink(const std::string& link, double eta, double* mu,
                 double* dmu_deta) {
  if (link == "log") {
    *mu = std::exp(eta);
    *dmu_deta = *mu;
  } else if (link == "logit") {
    *mu = 1.0 / (1.0 + std::exp(-eta));
    *dmu_deta = *mu * (1.0 - *mu);
  } else if (link == "probit") {
    *mu = 0.5 * std::erfc(-eta / std::sqrt(2.0));
    const double inverse_sqrt_two_pi = 0.398942280401432677939946;
    *dmu_deta = inverse_sqrt_two_pi * std::exp(-0.5 * eta * eta);
  } else if (link == "cloglog") {
    *mu = -std::expm1(-std::exp(eta));
    *dmu_deta = std::exp(eta - std::exp(eta));
  } else if (link == "inverse") {
    *mu = 1.0 / eta;
    *dmu_deta = -1.0 / (eta * eta);
  } else if (link == "1/mu^2") {
    *mu = 1.0 / std::sqrt(eta);
    *dmu_deta = -0.5 / (eta * std::sqrt(eta));
  } else if (link == "sqrt") {
    *mu = eta * eta;
    *dmu_deta = 2.0 * eta;
  } else {
    return false;
  }
  return true;
}

// The new data's value of one design column named as R names it:
// "(Intercept)", a numeric column, "log(column)", a text column followed by
// one of its levels (an indicator), or a product of those joined by ':'.
// `levels` holds each text column's levels (from the CSV). Returns false for
// a name it cannot decode.
bool DesignValue(const RReference& reference,
                 const std::map<std::string, std::vector<std::string>>& levels,
                 const std::string& name, std::size_t row, double* value) {
  double product = 1.0;
  std::size_t begin = 0;
  while (true) {
    const std::size_t end = name.find(':', begin);
    const std::string part = name.substr(begin, end - begin);
    double factor = 0.0;
    const RColumn* column = reference.NewdataColumn(part);
    if (part == "(Intercept)") {
      factor = 1.0;
    } else if (column != nullptr && !column->is_text) {
      factor = column->numbers[row];
    } else if (part.size() > 5 && part.compare(0, 4, "log(") == 0 &&
               part.back() == ')' &&
               (column = reference.NewdataColumn(
                    part.substr(4, part.size() - 5))) != nullptr &&
               !column->is_text) {
      factor = std::log(column->numbers[row]);
    } else {
      // The longest text column whose name begins the part and one of
      // whose levels ends it.
      const RColumn* best = nullptr;
      for (const RColumn& candidate : reference.newdata) {
        if (!candidate.is_text || part.size() <= candidate.name.size() ||
            part.compare(0, candidate.name.size(), candidate.name) != 0) {
          continue;
        }
        const auto it = levels.find(candidate.name);
        if (it == levels.end()) continue;
        const std::string level = part.substr(candidate.name.size());
        if (std::find(it->second.begin(), it->second.end(), level) ==
            it->second.end()) {
          continue;
        }
        if (best == nullptr || candidate.name.size() > best->name.size()) {
          best = &candidate;
        }
      }
      if (best == nullptr) return false;
      factor = best->labels[row] == part.substr(best->name.size()) ? 1.0 : 0.0;
    }
    product *= factor;
    if (end == std::string::npos) break;
    begin = end + 1;
  }
  *value = product;
  return true;
}

// Each text column's levels in the reference's CSV.
std::map<std::string, std::vector<std::string>> CsvLevels(
    const RReference& reference) {
  const RCsvTable table = ReadOrDie(reference.data_file);
  std::map<std::string, std::vector<std::string>> levels;
  for (std::size_t c = 0; c < table.names.size(); ++c) {
    if (table.quoted[c]) {
      levels[table.names[c]] = SortedLevels(table, static_cast<int>(c));
    }
  }
  return levels;
}

// The design columns of a reference: its names, or a multinomial fit's
// coefficient columns.
std::vector<std::string> DesignNames(const RReference& reference) {
  return reference.IsMultinomial() ? reference.coefficient_cols
                                   : reference.names;
}

// The families whose log-likelihood counts an estimated scale: R's logLik
// has df = rank + 1 for them.
bool EstimatesAScale(const std::string& family) {
  return family == "Gamma" || family == "inverse.gaussian" ||
         family == "gaussian" || family == "negative.binomial";
}

TEST(RReferenceTest, TheFolderHoldsExactlyTheKnownCases) {
  std::vector<std::string> expected = FitCases();
  expected.insert(expected.end(), AnovaCases().begin(), AnovaCases().end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(RReferenceCaseNames(), expected);
}

TEST(RReferenceTest, EveryFitFileLoads) {
  for (const std::string& case_name : FitCases()) {
    RReference reference;
    std::string error;
    EXPECT_TRUE(LoadRReference(case_name, &reference, &error))
        << case_name << ": " << error;
    EXPECT_EQ(reference.case_name, case_name);
    EXPECT_FALSE(reference.call.empty()) << case_name;
    EXPECT_FALSE(reference.formula.empty()) << case_name;
  }
}

TEST(RReferenceTest, EveryAnovaFileLoads) {
  for (const std::string& case_name : AnovaCases()) {
    RAnovaReference reference;
    std::string error;
    EXPECT_TRUE(LoadRAnovaReference(case_name, &reference, &error))
        << case_name << ": " << error;
    EXPECT_EQ(reference.case_name, case_name);
  }
}

TEST(RReferenceTest, AMissingCaseOrAnAnovaFileIsNotAFit) {
  RReference reference;
  std::string error;
  EXPECT_FALSE(LoadRReference("no_such_case", &reference, &error));
  EXPECT_NE(error.find("no_such_case.json"), std::string::npos) << error;
  error.clear();
  EXPECT_FALSE(LoadRReference("warpbreaks_anova_lrt", &reference, &error));
  EXPECT_NE(error.find("LoadRAnovaReference"), std::string::npos) << error;
}

class RFitReferenceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override { reference_ = LoadOrDie(GetParam()); }
  RReference reference_;
};

INSTANTIATE_TEST_SUITE_P(Cases, RFitReferenceTest,
                         ::testing::ValuesIn(FitCases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST_P(RFitReferenceTest, CoefficientsAreNamedFiniteAndTheirErrorsPositive) {
  const RReference& r = reference_;
  ASSERT_FALSE(r.names.empty());
  EXPECT_EQ(static_cast<Eigen::Index>(r.names.size()), r.estimates.size());
  EXPECT_EQ(static_cast<Eigen::Index>(r.names.size()), r.std_errors.size());
  EXPECT_EQ(std::set<std::string>(r.names.begin(), r.names.end()).size(),
            r.names.size());
  EXPECT_TRUE(r.estimates.allFinite());
  EXPECT_TRUE(r.std_errors.allFinite());
  EXPECT_GT(r.std_errors.minCoeff(), 0.0);
}

// The statistics are estimate / standard error; a z statistic's p-value is
// 2Φ(−|z|) = erfc(|z|/√2), and a t statistic's is larger than that.
TEST_P(RFitReferenceTest, StatisticsAndPValuesAreThoseOfTheEstimates) {
  const RReference& r = reference_;
  if (r.IsMultinomial()) return;
  ASSERT_EQ(r.statistics.size(), r.estimates.size());
  ASSERT_EQ(r.p_values.size(), r.estimates.size());
  const bool estimated = r.family == "quasipoisson" || r.family == "Gamma" ||
                         r.family == "inverse.gaussian";
  EXPECT_EQ(r.statistic, estimated ? "t" : "z");
  for (Eigen::Index j = 0; j < r.estimates.size(); ++j) {
    EXPECT_TRUE(Near(r.statistics[j], r.estimates[j] / r.std_errors[j], 1e-13));
    const double normal_p =
        std::erfc(std::abs(r.statistics[j]) / std::sqrt(2.0));
    if (estimated) {
      EXPECT_GT(r.p_values[j], normal_p) << r.names[j];
    } else {
      EXPECT_NEAR(r.p_values[j], normal_p, 1e-12 * normal_p) << r.names[j];
    }
  }
}

TEST_P(RFitReferenceTest, DeviancesAndDegreesOfFreedomAgree) {
  const RReference& r = reference_;
  EXPECT_GE(r.deviance, 0.0);
  if (r.IsMultinomial()) {
    EXPECT_EQ(r.edf, r.estimates.size());
    return;
  }
  // Every case has an intercept and no aliased column.
  EXPECT_EQ(r.rank, r.estimates.size());
  EXPECT_GE(r.null_deviance, r.deviance);
  EXPECT_EQ(r.df_residual, r.nobs - r.rank);
  EXPECT_EQ(r.df_null, r.nobs - 1);
  EXPECT_GE(r.pearson_chi2, 0.0);
  EXPECT_GE(r.iterations, 1);
  EXPECT_GE(r.refits, 1);
}

TEST_P(RFitReferenceTest, AicAndBicAreThoseOfTheLogLikelihood) {
  const RReference& r = reference_;
  if (std::isnan(r.loglik)) {
    EXPECT_EQ(r.family, "quasipoisson");
    EXPECT_TRUE(std::isnan(r.aic));
    EXPECT_TRUE(std::isnan(r.bic));
    return;
  }
  const int k =
      r.IsMultinomial() ? r.edf : r.rank + (EstimatesAScale(r.family) ? 1 : 0);
  EXPECT_EQ(r.loglik_df, k);
  EXPECT_TRUE(Near(r.aic, -2.0 * r.loglik + 2.0 * k, 1e-13));
  EXPECT_TRUE(Near(r.bic, -2.0 * r.loglik + std::log(r.nobs) * k, 1e-13));
  if (r.IsMultinomial()) {
    EXPECT_TRUE(Near(r.loglik, -0.5 * r.deviance, 1e-13));
  }
}

TEST_P(RFitReferenceTest, TheDispersionIsOneOrPearsonsOverTheResidualDf) {
  const RReference& r = reference_;
  if (r.IsMultinomial()) return;
  if (r.family == "poisson" || r.family == "binomial" ||
      r.IsNegativeBinomial()) {
    EXPECT_EQ(r.dispersion, 1.0);
  } else {
    EXPECT_TRUE(Near(r.dispersion, r.pearson_chi2 / r.df_residual, 1e-13));
  }
}

// Every factor's coefficients are its levels after the first in byte order
// (treatment contrasts, levels sorted as text), and every name decodes.
TEST_P(RFitReferenceTest, FactorCoefficientsAreTheLevelsAfterTheFirst) {
  const RReference& r = reference_;
  const auto levels = CsvLevels(r);
  for (const auto& [column, column_levels] : levels) {
    if (r.NewdataColumn(column) == nullptr) continue;  // not a predictor
    std::vector<std::string> named;
    for (const std::string& name : DesignNames(r)) {
      if (name.find(':') != std::string::npos) continue;
      if (name.compare(0, column.size(), column) != 0) continue;
      const std::string level = name.substr(column.size());
      if (std::find(column_levels.begin(), column_levels.end(), level) !=
          column_levels.end()) {
        named.push_back(level);
      }
    }
    const std::vector<std::string> expected(column_levels.begin() + 1,
                                            column_levels.end());
    EXPECT_EQ(named, expected) << column;
  }
  for (const std::string& name : DesignNames(r)) {
    double value = 0.0;
    EXPECT_TRUE(DesignValue(r, levels, name, 0, &value)) << name;
  }
}

// The predictions are X_new β̂ (plus the offset) through the inverse link,
// with the delta method's standard error for the response.
TEST_P(RFitReferenceTest, PredictionsAreTheModelAtTheNewData) {
  const RReference& r = reference_;
  const std::size_t rows = r.NewdataRows();
  ASSERT_GT(rows, 0u);
  for (const RColumn& column : r.newdata) {
    EXPECT_EQ(column.size(), rows) << column.name;
  }
  const auto levels = CsvLevels(r);
  const std::vector<std::string> columns = DesignNames(r);
  const Eigen::Index p = static_cast<Eigen::Index>(columns.size());
  Eigen::MatrixXd x(rows, p);
  for (std::size_t i = 0; i < rows; ++i) {
    for (Eigen::Index j = 0; j < p; ++j) {
      ASSERT_TRUE(DesignValue(r, levels, columns[j], i, &x(i, j)))
          << columns[j];
    }
  }
  if (r.IsMultinomial()) {
    ASSERT_EQ(r.predict_probs.size(), r.classes.size());
    ASSERT_EQ(r.estimates.size(),
              static_cast<Eigen::Index>(r.coefficient_rows.size()) * p);
    // η of the baseline class is 0; the others are class-major in β̂.
    const Eigen::Index classes = static_cast<Eigen::Index>(r.classes.size());
    Eigen::MatrixXd eta = Eigen::MatrixXd::Zero(rows, classes);
    for (Eigen::Index k = 1; k < classes; ++k) {
      eta.col(k) = x * r.estimates.segment((k - 1) * p, p);
    }
    for (std::size_t i = 0; i < rows; ++i) {
      const double total = eta.row(i).array().exp().sum();
      for (std::size_t k = 0; k < r.classes.size(); ++k) {
        EXPECT_TRUE(
            Near(r.predict_probs[k][i], std::exp(eta(i, k)) / total, 1e-12))
            << r.classes[k] << ", row " << i;
      }
    }
    return;
  }
  Eigen::VectorXd eta = x * r.estimates;
  if (!r.offset.empty()) {
    for (std::size_t i = 0; i < rows; ++i) {
      double offset = 0.0;
      ASSERT_TRUE(DesignValue(r, levels, r.offset, i, &offset)) << r.offset;
      eta[i] += offset;
    }
  }
  ASSERT_EQ(r.predict_link.size(), static_cast<Eigen::Index>(rows));
  ASSERT_EQ(r.predict_link_se.size(), static_cast<Eigen::Index>(rows));
  ASSERT_EQ(r.predict_response.size(), static_cast<Eigen::Index>(rows));
  ASSERT_EQ(r.predict_response_se.size(), static_cast<Eigen::Index>(rows));
  for (std::size_t i = 0; i < rows; ++i) {
    EXPECT_TRUE(Near(r.predict_link[i], eta[i], 1e-12)) << "row " << i;
    double mu = 0.0, dmu_deta = 0.0;
    ASSERT_TRUE(InverseLink(r.link, r.predict_link[i], &mu, &dmu_deta))
        << r.link;
    EXPECT_TRUE(Near(r.predict_response[i], mu, 1e-13)) << "row " << i;
    EXPECT_TRUE(Near(r.predict_response_se[i],
                     std::abs(dmu_deta) * r.predict_link_se[i], 1e-13))
        << "row " << i;
    EXPECT_GT(r.predict_link_se[i], 0.0);
  }
}

TEST(RReferenceTest, MultinomialNamesAreClassMajor) {
  for (const char* case_name : {"iris_multinom", "housing_multinom"}) {
    const RReference r = LoadOrDie(case_name);
    ASSERT_EQ(r.coefficient_rows.size() + 1, r.classes.size()) << case_name;
    EXPECT_TRUE(std::equal(r.coefficient_rows.begin(), r.coefficient_rows.end(),
                           r.classes.begin() + 1))
        << case_name;
    const std::size_t cols = r.coefficient_cols.size();
    ASSERT_EQ(r.names.size(), r.coefficient_rows.size() * cols);
    for (std::size_t k = 0; k < r.coefficient_rows.size(); ++k) {
      for (std::size_t j = 0; j < cols; ++j) {
        EXPECT_EQ(r.names[k * cols + j],
                  r.coefficient_rows[k] + ":" + r.coefficient_cols[j]);
      }
    }
    // multinom's own optimum (reltol 1e-14) is the MLE to about six digits.
    ASSERT_EQ(r.reltol_estimates.size(), r.estimates.size());
    for (Eigen::Index j = 0; j < r.estimates.size(); ++j) {
      EXPECT_TRUE(Near(r.reltol_estimates[j], r.estimates[j], 1e-4));
      EXPECT_TRUE(Near(r.reltol_std_errors[j], r.std_errors[j], 1e-4));
    }
    EXPECT_GE(r.reltol_deviance, r.deviance);
    EXPECT_TRUE(Near(r.reltol_deviance, r.deviance, 1e-10));
  }
}

TEST(RReferenceTest, NegativeBinomialLikelihoodAndTheta) {
  const RReference r = LoadOrDie("quine_negbin");
  EXPECT_TRUE(Near(r.loglik, 0.5 * r.twologlik, 1e-15));
  EXPECT_TRUE(Near(r.aic, -r.twologlik + 2.0 * r.rank + 2.0, 1e-15));
  EXPECT_GT(r.theta, 0.0);
  EXPECT_GT(r.theta_se, 0.0);
}

// The warpbreaks CSV and wool * tension by hand: the Poisson deviance,
// null deviance and log-likelihood at R's estimates, the score there (zero
// at the MLE), and the standard errors from the Fisher information.
TEST(RReferenceTest, WarpbreaksPoissonFromTheCsvByHand) {
  const RReference r = LoadOrDie("warpbreaks_poisson");
  const RCsvTable table = ReadOrDie("warpbreaks.csv");
  ASSERT_EQ(table.names,
            (std::vector<std::string>{"breaks", "wool", "tension"}));
  ASSERT_EQ(table.Rows(), 54u);
  // Treatment contrasts with levels in byte order: wool A, tension H are
  // the baselines.
  ASSERT_EQ(r.names, (std::vector<std::string>{
                         "(Intercept)", "woolB", "tensionL", "tensionM",
                         "woolB:tensionL", "woolB:tensionM"}));
  const Eigen::Index n = 54;
  Eigen::VectorXd y(n);
  Eigen::MatrixXd x(n, 6);
  for (Eigen::Index i = 0; i < n; ++i) {
    y[i] = std::stod(table.cells[0][i]);
    const double b = table.cells[1][i] == "B" ? 1.0 : 0.0;
    const double l = table.cells[2][i] == "L" ? 1.0 : 0.0;
    const double m = table.cells[2][i] == "M" ? 1.0 : 0.0;
    x.row(i) << 1.0, b, l, m, b * l, b * m;
  }
  const auto deviance = [&y](const Eigen::VectorXd& mu) {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const double term = y[i] > 0.0 ? y[i] * std::log(y[i] / mu[i]) : 0.0;
      sum += term - (y[i] - mu[i]);
    }
    return 2.0 * sum;
  };
  const Eigen::VectorXd mu = (x * r.estimates).array().exp().matrix();
  EXPECT_TRUE(Near(deviance(mu), r.deviance, 1e-12));
  EXPECT_TRUE(Near(deviance(Eigen::VectorXd::Constant(n, y.mean())),
                   r.null_deviance, 1e-12));
  double loglik = 0.0;
  for (Eigen::Index i = 0; i < n; ++i) {
    loglik += y[i] * std::log(mu[i]) - mu[i] - std::lgamma(y[i] + 1.0);
  }
  EXPECT_TRUE(Near(loglik, r.loglik, 1e-13));
  const Eigen::VectorXd score = x.transpose() * (y - mu);
  const double scale = (x.transpose() * y).cwiseAbs().maxCoeff();
  EXPECT_LT(score.cwiseAbs().maxCoeff(), 1e-12 * scale);
  const Eigen::MatrixXd information = x.transpose() * mu.asDiagonal() * x;
  const Eigen::MatrixXd covariance = information.inverse();
  for (Eigen::Index j = 0; j < 6; ++j) {
    EXPECT_TRUE(Near(std::sqrt(covariance(j, j)), r.std_errors[j], 1e-12))
        << r.names[j];
  }
  // The quasi-Poisson fit shares the estimates; its dispersion is Pearson's
  // χ² over 54 − 6 and scales the standard errors by its square root.
  const RReference q = LoadOrDie("warpbreaks_quasipoisson");
  const double pearson = ((y - mu).array().square() / mu.array()).sum();
  EXPECT_TRUE(Near(q.dispersion, pearson / 48.0, 1e-12));
  for (Eigen::Index j = 0; j < 6; ++j) {
    EXPECT_TRUE(Near(q.estimates[j], r.estimates[j], 1e-13));
    EXPECT_TRUE(Near(q.std_errors[j], r.std_errors[j] * std::sqrt(q.dispersion),
                     1e-12));
  }
}

// anova's numbers follow from the two fits: with 2 degrees of freedom the
// χ² tail is exp(−x/2) and the F(2, d) tail is (1 + 2F/d)^(−d/2).
TEST(RReferenceTest, AnovaAgreesWithItsFits) {
  RAnovaReference lrt, f;
  std::string error;
  ASSERT_TRUE(LoadRAnovaReference("warpbreaks_anova_lrt", &lrt, &error))
      << error;
  ASSERT_TRUE(LoadRAnovaReference("warpbreaks_anova_f", &f, &error)) << error;
  const RReference poisson = LoadOrDie("warpbreaks_poisson");
  const RReference quasi = LoadOrDie("warpbreaks_quasipoisson");
  for (const RAnovaReference* a : {&lrt, &f}) {
    EXPECT_EQ(a->formulas[1], poisson.formula);
    EXPECT_EQ(a->df, a->resid_df[0] - a->resid_df[1]);
    EXPECT_EQ(a->df, 2);
    EXPECT_EQ(a->resid_df[1], poisson.df_residual);
    EXPECT_TRUE(Near(a->resid_dev[1], poisson.deviance, 1e-12));
    EXPECT_TRUE(Near(a->deviance, a->resid_dev[0] - a->resid_dev[1], 1e-13));
  }
  EXPECT_EQ(lrt.test, "LRT");
  EXPECT_TRUE(Near(lrt.p_value, std::exp(-0.5 * lrt.deviance), 1e-12));
  EXPECT_EQ(f.test, "F");
  EXPECT_TRUE(Near(f.dispersion, quasi.dispersion, 1e-12));
  EXPECT_EQ(f.dispersion_df, quasi.df_residual);
  EXPECT_TRUE(Near(f.f_statistic, f.deviance / f.df / f.dispersion, 1e-13));
  const double d = f.dispersion_df;
  EXPECT_TRUE(Near(f.p_value, std::pow(1.0 + 2.0 * f.f_statistic / d, -0.5 * d),
                   1e-12));
}

// Every reference's data file holds its new data's columns: text columns
// quoted in the CSV with the new data's labels among their levels, numeric
// ones unquoted.
TEST(RReferenceTest, DataFilesHoldTheNewDataColumns) {
  for (const std::string& case_name : FitCases()) {
    const RReference r = LoadOrDie(case_name);
    const RCsvTable table = ReadOrDie(r.data_file);
    EXPECT_GT(table.Rows(), 0u) << r.data_file;
    for (const RColumn& column : r.newdata) {
      const int c = table.Column(column.name);
      ASSERT_GE(c, 0) << case_name << ": " << column.name;
      EXPECT_EQ(table.quoted[c], column.is_text)
          << case_name << ": " << column.name;
      const std::vector<std::string> levels = SortedLevels(table, c);
      for (const std::string& label : column.labels) {
        EXPECT_NE(std::find(levels.begin(), levels.end(), label), levels.end())
            << case_name << ": " << column.name << " " << label;
      }
    }
  }
}

}  // namespace
}  // namespace testing
}  // namespace fisheropt
