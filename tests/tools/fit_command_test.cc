// End-to-end tests of `fisheropt fit`: CSV files written by the tests,
// numbers from R's glm (the R calls are beside them), and bad inputs with
// the message each must produce.

#include "tools/fit_command.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/problems/nist_test_utilities.h"
#include "tests/stats/r_reference.h"
#include "tests/tools/scratch_directory.h"

namespace fisheropt {
namespace {

// The 30-row logistic data set of the R references:
//   i <- 1:30; x1 <- (i - 15.5) / 10; x2 <- cos(i)
//   y <- c(0,0,1,0,0,1,0,0,1,1, 0,1,0,1,1,0,1,1,0,1, 1,1,0,1,1,1,0,1,1,1)
const int kY[30] = {0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1,
                    0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1, 1};

class FitCommandTest : public ScratchDirectoryTest {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = (directory_ / name).string();
    std::ofstream(path) << text;
    return path;
  }

  // The R data set as CSV, with an optional aliased column x3 = 2 x1 − x2.
  std::string ReferenceCsv(bool with_aliased_column = false) {
    std::string text = with_aliased_column ? "y,x1,x2,x3\n" : "y,x1,x2\n";
    char line[256];
    for (int i = 1; i <= 30; ++i) {
      const double x1 = (i - 15.5) / 10.0, x2 = std::cos(i);
      if (with_aliased_column) {
        std::snprintf(line, sizeof(line), "%d,%.17g,%.17g,%.17g\n", kY[i - 1],
                      x1, x2, 2.0 * x1 - x2);
      } else {
        std::snprintf(line, sizeof(line), "%d,%.17g,%.17g\n", kY[i - 1], x1,
                      x2);
      }
      text += line;
    }
    return Write("reference.csv", text);
  }

  // Runs the fit; returns the exit status and keeps the streams and JSON.
  int Run(FitOptions options) {
    if (options.json_path.empty()) {
      options.json_path = (directory_ / "fit.json").string();
    }
    out_.str("");
    err_.str("");
    const int status = RunFit(options, out_, err_);
    json_ = nlohmann::json();
    std::ifstream json_file(options.json_path);
    if (status == 0 && json_file) json_file >> json_;
    return status;
  }

  FitOptions Logistic(const std::string& path) {
    FitOptions options;
    options.data_path = path;
    options.model = "logistic";
    options.response = "y";
    options.call = "test";
    return options;
  }

  // Runs a bad input and returns the one-line error.
  std::string Error(const FitOptions& options, int status = 1) {
    EXPECT_EQ(Run(options), status) << out_.str();
    const std::string message = err_.str();
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    return message;
  }
  // A usage error (unknown name, missing option): exit status 2.
  std::string UsageError(const FitOptions& options) {
    return Error(options, 2);
  }

  std::ostringstream out_, err_;
  nlohmann::json json_;
};

double Coefficient(const nlohmann::json& json, int k, const char* field) {
  return json["coefficients"][k][field].get<double>();
}

// The fit JSON's coefficient names, estimates and standard errors against
// an R reference's, to 1e-7 (LRE ≥ 7).
void ExpectCoefficientsMatchR(const nlohmann::json& json,
                              const testing::RReference& r) {
  ASSERT_EQ(json["coefficients"].size(), r.names.size());
  for (size_t j = 0; j < r.names.size(); ++j) {
    const int k = static_cast<int>(j);
    EXPECT_EQ(json["coefficients"][k]["name"], r.names[j]);
    EXPECT_NEAR(Coefficient(json, k, "estimate"), r.estimates[j],
                1e-7 * std::abs(r.estimates[j]));
    EXPECT_NEAR(Coefficient(json, k, "std_error"), r.std_errors[j],
                1e-7 * r.std_errors[j]);
  }
}

TEST_F(FitCommandTest, LogisticMatchesRGlm) {
  // R: fit <- glm(y ~ x1 + x2, family = binomial,
  //               control = glm.control(epsilon = 1e-14, maxit = 100))
  //    refit <- glm(y ~ x1 + x2, family = binomial, start = coef(fit),
  //                 control = glm.control(epsilon = 1e-14, maxit = 100))
  //    summary(refit)$coefficients; deviance(refit); refit$null.deviance;
  //    AIC(refit); logLik(refit)
  const double estimate[3] = {0.47725269772613460, 1.04362717141078609,
                              -0.31874274728564889};
  const double std_error[3] = {0.41455447586576200, 0.51329494327120817,
                               0.58639032240980649};
  const double z[3] = {1.15124241929708426, 2.03319199826865971,
                       -0.54356754384307759};
  const double p_value[3] = {0.249632518410370846, 0.042033129165283407,
                             0.586739099303620781};
  FitOptions options = Logistic(ReferenceCsv());
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_TRUE(json_["converged"].get<bool>());
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(Coefficient(json_, k, "estimate"), estimate[k],
                1e-8 * std::abs(estimate[k]));
    EXPECT_NEAR(Coefficient(json_, k, "std_error"), std_error[k],
                1e-8 * std_error[k]);
    EXPECT_NEAR(Coefficient(json_, k, "z"), z[k], 1e-8 * std::abs(z[k]));
    EXPECT_NEAR(Coefficient(json_, k, "p_value"), p_value[k],
                1e-7 * p_value[k]);
  }
  EXPECT_NEAR(json_["deviance"].get<double>(), 35.194562038921418, 1e-9);
  EXPECT_NEAR(json_["null_deviance"].get<double>(), 40.380700020555388, 1e-9);
  EXPECT_NEAR(json_["aic"].get<double>(), 41.194562038921418, 1e-9);
  EXPECT_NEAR(json_["log_likelihood"].get<double>(), -17.597281019460709, 1e-9);
  EXPECT_EQ(json_["coefficients"][0]["name"], "(Intercept)");
  // The text column "label" is not a predictor; the summary reads like R's.
  EXPECT_EQ(json_["coefficients"].size(), 3u);
  const std::string text = out_.str();
  EXPECT_NE(text.find("Residual deviance: 35.19456204  on 27  degrees of "
                      "freedom"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Null deviance: 40.38070002  on 29"), std::string::npos);
}

// R (4.2, Debian r-base-core), with ctl <- glm.control(epsilon = 1e-14,
// maxit = 100) and a refit from the converged coefficients (start = coef(f))
// so that R's vcov uses weights at the MLE:
//   f <- glm(y ~ x1 + x2, family = binomial(link = "probit"), control = ctl)
//   counts <- c(2,0,1,3,1,0,4,2,1,5, 3,2,6,1,4,2,7,3,5,4,
//               8,2,6,9,4,7,5,10,6,8)
//   f <- glm(counts ~ x1 + x2, family = poisson, control = ctl)
//   summary(f)$coefficients[, 1:2]; logLik(f); deviance(f);
//   f$null.deviance; AIC(f)
struct RReference {
  const char* model;
  const char* response;
  double estimate[3];
  double std_error[3];
  double log_likelihood, deviance, null_deviance, aic;
};

TEST_F(FitCommandTest, ProbitAndPoissonMatchRGlm) {
  const int counts[30] = {2, 0, 1, 3, 1, 0, 4, 2, 1, 5, 3, 2, 6,  1, 4,
                          2, 7, 3, 5, 4, 8, 2, 6, 9, 4, 7, 5, 10, 6, 8};
  std::string text = "y,counts,x1,x2\n";
  char line[256];
  for (int i = 1; i <= 30; ++i) {
    std::snprintf(line, sizeof(line), "%d,%d,%.17g,%.17g\n", kY[i - 1],
                  counts[i - 1], (i - 15.5) / 10.0, std::cos(i));
    text += line;
  }
  const std::string path = Write("families.csv", text);
  const RReference references[] = {
      {"probit",
       "y",
       {0.28027923549344602, 0.62857265016869457, -0.17707578735764973},
       {0.24645231171352419, 0.29747457513668779, 0.35200789853228631},
       -17.621141883191797,
       35.242283766383594,
       40.380700020555388,
       41.242283766383594},
      {"poisson",
       "counts",
       {1.264342231241229797, 0.599858188792155023, 0.018144683611085538},
       {0.10302966744357318, 0.11391650608287285, 0.13263854589687518},
       -59.031218555500033,
       29.839203344469965,
       59.923674715361017,
       124.06243711100007},
  };
  for (const RReference& r : references) {
    FitOptions options = Logistic(path);
    options.model = r.model;
    options.response = r.response;
    options.predictors = {"x1", "x2"};
    options.tolerance = 1e-15;
    ASSERT_EQ(Run(options), 0) << r.model << ": " << err_.str();
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR(Coefficient(json_, k, "estimate"), r.estimate[k],
                  1e-8 * std::abs(r.estimate[k]))
          << r.model;
      EXPECT_NEAR(Coefficient(json_, k, "std_error"), r.std_error[k],
                  1e-8 * r.std_error[k])
          << r.model;
    }
    EXPECT_NEAR(json_["log_likelihood"].get<double>(), r.log_likelihood,
                1e-10 * std::abs(r.log_likelihood))
        << r.model;
    EXPECT_NEAR(json_["deviance"].get<double>(), r.deviance, 1e-9) << r.model;
    EXPECT_NEAR(json_["null_deviance"].get<double>(), r.null_deviance, 1e-9)
        << r.model;
    EXPECT_NEAR(json_["aic"].get<double>(), r.aic, 1e-9) << r.model;
  }
}

TEST_F(FitCommandTest, IllConditionedLongleyGaussianMatchesR) {
  // The Longley data (R's datasets::longley; cond(X) ≈ 5e9), and
  //   f <- glm(Employed ~ ., data = longley, family = gaussian)
  //   summary(f)$coefficients[, 1:2]; summary(f)$dispersion; logLik(f)
  const std::string path = Write(
      "longley.csv",
      "GNP.deflator,GNP,Unemployed,Armed.Forces,Population,Year,Employed\n"
      "83,234.289,235.6,159,107.608,1947,60.323\n"
      "88.5,259.426,232.5,145.6,108.632,1948,61.122\n"
      "88.2,258.054,368.2,161.6,109.773,1949,60.171\n"
      "89.5,284.599,335.1,165,110.929,1950,61.187\n"
      "96.2,328.975,209.9,309.9,112.075,1951,63.221\n"
      "98.1,346.999,193.2,359.4,113.27,1952,63.639\n"
      "99,365.385,187,354.7,115.094,1953,64.989\n"
      "100,363.112,357.8,335,116.219,1954,63.761\n"
      "101.2,397.469,290.4,304.8,117.388,1955,66.019\n"
      "104.6,419.18,282.2,285.7,118.734,1956,67.857\n"
      "108.4,442.769,293.6,279.8,120.445,1957,68.169\n"
      "110.8,444.546,468.1,263.7,121.95,1958,66.513\n"
      "112.6,482.704,381.3,255.2,123.366,1959,68.655\n"
      "114.2,502.601,393.1,251.4,125.368,1960,69.564\n"
      "115.7,518.173,480.6,257.2,127.852,1961,69.331\n"
      "116.9,554.894,400.7,282.7,130.081,1962,70.551\n");
  const double estimate[7] = {-3.4822586345958139e+03, 1.5061872271372949e-02,
                              -3.5819179292591007e-02, -2.0202298038168243e-02,
                              -1.0332268671735884e-02, -5.1104105653578979e-02,
                              1.8291514646135496e+00};
  const double std_error[7] = {8.9042038360712320e+02, 8.4914925774743313e-02,
                               3.3491007772233919e-02, 4.8839968165156492e-03,
                               2.1427416316161510e-03, 2.2607320006930867e-01,
                               4.5547849914208427e-01};
  FitOptions options = Logistic(path);
  options.model = "gaussian";
  options.response = "Employed";
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0) << err_.str();
  for (int k = 0; k < 7; ++k) {
    // The fit runs in the orthonormal basis of X's QR, as R's least squares
    // does, so the normal equations' κ(XᵀX) ≈ 1e19 never enters: both
    // agree to ~1e-10 (ε·κ(X) ≈ 1e-6 bounds what either can claim).
    EXPECT_NEAR(Coefficient(json_, k, "estimate"), estimate[k],
                1e-9 * std::abs(estimate[k]))
        << k;
    EXPECT_NEAR(Coefficient(json_, k, "std_error"), std_error[k],
                1e-9 * std_error[k])
        << k;
  }
  EXPECT_NEAR(json_["dispersion"].get<double>(), 0.092936006167271781, 1e-11);
  EXPECT_NEAR(json_["sigma2_mle"].get<double>(), 0.83642405550544607 / 16,
              1e-11);
  EXPECT_NEAR(json_["log_likelihood"].get<double>(), 0.90664965523811425, 1e-8);
  EXPECT_NEAR(json_["aic"].get<double>(), 14.186700689523772, 1e-8);
  EXPECT_NE(json_["coefficients"][1].find("t"), json_["coefficients"][1].end());
}

TEST_F(FitCommandTest, NoInterceptMatchesRGlm) {
  // R: glm(y ~ x1 + x2 - 1, family = binomial, ...) refit as above.
  FitOptions options = Logistic(ReferenceCsv());
  options.no_intercept = true;
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_NEAR(Coefficient(json_, 0, "estimate"), 0.98759659233908437, 1e-8);
  EXPECT_NEAR(Coefficient(json_, 1, "std_error"), 0.57261124544113451, 1e-8);
  EXPECT_NEAR(json_["deviance"].get<double>(), 36.573770840992346, 1e-9);
  EXPECT_NEAR(json_["null_deviance"].get<double>(), 41.588830833596717, 1e-9);
  EXPECT_NEAR(json_["aic"].get<double>(), 40.573770840992346, 1e-9);
}

TEST_F(FitCommandTest, CollinearColumnIsAliasedAsInR) {
  // R: x3 <- 2 * x1 - x2; coef(glm(y ~ x1 + x2 + x3, family = binomial))
  // gives x3 = NA and the other coefficients of the model without x3.
  FitOptions options = Logistic(ReferenceCsv(/*with_aliased_column=*/true));
  ASSERT_EQ(Run(options), 0) << err_.str();
  ASSERT_EQ(json_["coefficients"].size(), 4u);
  EXPECT_EQ(json_["coefficients"][3]["name"], "x3");
  EXPECT_TRUE(json_["coefficients"][3]["aliased"].get<bool>());
  EXPECT_TRUE(json_["coefficients"][3]["estimate"].is_null());
  EXPECT_NEAR(Coefficient(json_, 1, "estimate"), 1.04362717141078609, 1e-7);
  EXPECT_NEAR(Coefficient(json_, 1, "std_error"), 0.51329494327120817, 1e-7);
  const std::string warnings = json_["warnings"].dump();
  EXPECT_NE(warnings.find("'x3' is aliased"), std::string::npos) << warnings;
  EXPECT_NE(out_.str().find("NA"), std::string::npos);
}

TEST_F(FitCommandTest, ConstantPredictorIsAliasedWithTheIntercept) {
  const std::string path = Write(
      "constant.csv", "y,x,c\n0,1,5\n1,2,5\n0,3,5\n1,4,5\n1,5,5\n0,0,5\n");
  ASSERT_EQ(Run(Logistic(path)), 0) << err_.str();
  EXPECT_TRUE(json_["coefficients"][2]["aliased"].get<bool>());
  EXPECT_NE(json_["warnings"].dump().find("'c' is aliased"), std::string::npos);
}

TEST_F(FitCommandTest, SeparationIsReportedNotConverged) {
  std::string text = "y,x\n";
  for (int i = 0; i < 20; ++i) {
    text +=
        std::to_string(i >= 10 ? 1 : 0) + "," + std::to_string(i - 9.5) + "\n";
  }
  ASSERT_EQ(Run(Logistic(Write("separated.csv", text))), 0) << err_.str();
  EXPECT_FALSE(json_["converged"].get<bool>());
  const std::string warnings = json_["warnings"].dump();
  EXPECT_NE(warnings.find("separation"), std::string::npos) << warnings;
  EXPECT_NE(warnings.find("*x"), std::string::npos) << warnings;  // direction
}

TEST_F(FitCommandTest, NonConvergenceKeepsTheLastEstimate) {
  FitOptions options = Logistic(ReferenceCsv());
  options.max_iterations = 1;
  ASSERT_EQ(Run(options), 0);
  EXPECT_FALSE(json_["converged"].get<bool>());
  EXPECT_EQ(json_["iterations"].get<int>(), 1);
  EXPECT_NE(json_["warnings"].dump().find("did not converge"),
            std::string::npos);
  EXPECT_TRUE(std::isfinite(Coefficient(json_, 1, "estimate")));
}

TEST_F(FitCommandTest, CovarianceSourcesForACanonicalModel) {
  // Logistic: observed information = expected Fisher, so the standard errors
  // agree; the sandwich differs.
  FitOptions options = Logistic(ReferenceCsv());
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0);
  const double fisher = Coefficient(json_, 1, "std_error");
  options.covariance = "observed";
  ASSERT_EQ(Run(options), 0);
  EXPECT_NEAR(Coefficient(json_, 1, "std_error"), fisher, 1e-12 * fisher);
  options.covariance = "sandwich";
  ASSERT_EQ(Run(options), 0);
  const double sandwich = Coefficient(json_, 1, "std_error");
  EXPECT_GT(std::abs(sandwich - fisher), 1e-3 * fisher);
  // With a canonical link and no weights the bread H equals R's XᵀWX: the
  // sandwich is R's HC0.
  options.covariance = "HC0";
  ASSERT_EQ(Run(options), 0);
  EXPECT_NEAR(Coefficient(json_, 1, "std_error"), sandwich, 1e-10 * sandwich);
  options.covariance = "bootstrap";
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: unknown --covariance 'bootstrap'; use fisher, "
            "observed, sandwich, HC0, HC1, HC2 or HC3\n");
}

TEST_F(FitCommandTest, OtherOptimizersReachTheSameFit) {
  FitOptions options = Logistic(ReferenceCsv());
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0);
  const double reference = Coefficient(json_, 1, "estimate");
  for (const char* optimizer : {"newton", "fisher-lm", "ceres-lbfgs"}) {
    options.optimizer = optimizer;
    ASSERT_EQ(Run(options), 0) << optimizer << err_.str();
    EXPECT_NEAR(Coefficient(json_, 1, "estimate"), reference, 1e-6)
        << optimizer;
  }
}

TEST_F(FitCommandTest, MultivariateNormalGivesSampleMoments) {
  const std::string path =
      Write("mvn.csv", "a,b,name\n1,2,u\n2,1,v\n4,5,w\n3,3,x\n0,1,y\n");
  FitOptions options;
  options.data_path = path;
  options.model = "mvn";
  options.tolerance = 1e-15;
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_EQ(json_["model"], "mvn");
  // Sample means 2 and 2.4; covariance divided by N = 5.
  EXPECT_NEAR(json_["mean"][0].get<double>(), 2.0, 1e-9);
  EXPECT_NEAR(json_["mean"][1].get<double>(), 2.4, 1e-9);
  EXPECT_NEAR(json_["covariance"][0][0].get<double>(), 2.0, 1e-8);
  EXPECT_NEAR(json_["covariance"][0][1].get<double>(), 1.8, 1e-8);
  EXPECT_NEAR(json_["covariance"][1][1].get<double>(), 2.24, 1e-8);
}

TEST_F(FitCommandTest, TraceIsWritten) {
  FitOptions options = Logistic(ReferenceCsv());
  options.trace_path = (directory_ / "trace.csv").string();
  ASSERT_EQ(Run(options), 0);
  std::ifstream trace(options.trace_path);
  std::string header;
  std::getline(trace, header);
  EXPECT_EQ(
      header,
      "iteration,time_seconds,nll,gradient_max_norm,step_norm,damping,kl");
  int rows = 0;
  for (std::string line; std::getline(trace, line);) ++rows;
  EXPECT_EQ(rows, json_["iterations"].get<int>() + 1);
}

// `fit --nist` honours --trace and -v as the CSV fits do.
TEST_F(FitCommandTest, NistFitWritesTraceAndIterationTable) {
  FISHEROPT_REQUIRE_NIST_FILES();
  FitOptions options;
  options.nist_path = testing::NistDirectory() + "/Misra1a.dat";
  options.optimizer = "fisher-lm";
  options.trace_path = (directory_ / "nist_trace.csv").string();
  options.verbose = true;
  ::testing::internal::CaptureStderr();  // the iteration table's sink
  const int status = Run(options);
  const std::string table = ::testing::internal::GetCapturedStderr();
  ASSERT_EQ(status, 0) << err_.str();
  EXPECT_EQ(table.rfind("iter ", 0), 0u) << table;
  std::ifstream trace(options.trace_path);
  std::string header;
  std::getline(trace, header);
  EXPECT_EQ(
      header,
      "iteration,time_seconds,nll,gradient_max_norm,step_norm,damping,kl");
  int rows = 0;
  for (std::string line; std::getline(trace, line);) ++rows;
  EXPECT_EQ(rows, json_["iterations"].get<int>() + 1);
}

TEST_F(FitCommandTest, BadInputsGiveOneLineErrors) {
  EXPECT_EQ(Error(Logistic((directory_ / "absent.csv").string())),
            "fisheropt fit: cannot open '" +
                (directory_ / "absent.csv").string() +
                "': No such file or directory\n");
  EXPECT_NE(Error(Logistic(Write("empty.csv", ""))).find("the file is empty"),
            std::string::npos);
  EXPECT_NE(Error(Logistic(Write("ragged.csv", "y,x\n1,2\n0\n")))
                .find("line 3 has 1 fields; the header has 2"),
            std::string::npos);
  EXPECT_EQ(Error(Logistic(Write("text.csv", "y,x\n1,2\n0,abc\n1,3\n"))),
            "fisheropt fit: non-numeric value 'abc' at line 3, column 'x'\n");
  EXPECT_EQ(Error(Logistic(Write("inf.csv", "y,x\n1,2\n0,Inf\n1,3\n"))),
            "fisheropt fit: non-finite value 'Inf' at line 3, column 'x'\n");
  EXPECT_NE(Error(Logistic(Write("dup.csv", "y,x,x\n1,2,3\n")))
                .find("duplicated column name 'x'"),
            std::string::npos);
  FitOptions unknown = Logistic(ReferenceCsv());
  unknown.predictors = {"x1", "x9"};
  EXPECT_EQ(
      Error(unknown),
      "fisheropt fit: unknown column 'x9'; available columns: y, x1, x2\n");
  EXPECT_EQ(Error(Logistic(Write("support.csv", "y,x\n1,2\n2,1\n0,3\n1,4\n"))),
            "fisheropt fit: response 2 in row 1 is outside the support of the "
            "logistic model\n");
  EXPECT_EQ(Error(Logistic(Write("short.csv", "y,x,z\n1,2,3\n0,1,1\n1,4,2\n"))),
            "fisheropt fit: 3 rows but 3 coefficients: the model needs more "
            "rows than coefficients\n");
  FitOptions model = Logistic(ReferenceCsv());
  model.model = "tobit";
  EXPECT_NE(
      UsageError(model).find("unknown --model 'tobit'; known models: logistic"),
      std::string::npos);
  FitOptions optimizer = Logistic(ReferenceCsv());
  optimizer.optimizer = "adam";
  EXPECT_NE(UsageError(optimizer).find("unknown optimizer 'adam'"),
            std::string::npos);
  FitOptions no_response = Logistic(ReferenceCsv());
  no_response.response.clear();
  EXPECT_NE(UsageError(no_response).find("--response is required"),
            std::string::npos);
}

// Found by fuzz/fuzz_cli_arguments (fuzz/corpus/cli/regression_json_*): a
// column name that is not UTF-8 (a Latin-1 "café" header) made nlohmann::json
// throw from dump() and `fit --json` terminate (abort, exit 134). The JSON
// now holds U+FFFD for the invalid byte; the summary keeps the name as is.
TEST_F(FitCommandTest, NonUtf8ColumnNamesAreWrittenToJson) {
  const std::string path = Write("latin1.csv",
                                 "y,caf\xE9,x2\n0,1,2\n1,2,1\n0,3,5\n1,4,2\n"
                                 "1,5,3\n0,6,1\n1,7,4\n0,8,2\n");
  ASSERT_EQ(Run(Logistic(path)), 0) << err_.str();
  EXPECT_EQ(json_["coefficients"][1]["name"], "caf\xEF\xBF\xBD");
  EXPECT_NE(out_.str().find("caf\xE9"), std::string::npos);

  FitOptions mvn;
  mvn.data_path = path;
  mvn.model = "mvn";
  ASSERT_EQ(Run(mvn), 0) << err_.str();
  EXPECT_EQ(json_["variables"][1], "caf\xEF\xBF\xBD");
}

TEST_F(FitCommandTest, MissingValuesFailOrAreDroppedWithACount) {
  const std::string path =
      Write("na.csv", "y,x\n1,2\n0,NA\n1,3\n0,1\n1,5\n0,0\n1,4\n");
  EXPECT_EQ(Error(Logistic(path)),
            "fisheropt fit: missing value (empty or NA) at line 3, column 'x'; "
            "drop incomplete rows to fit without it\n");
  FitOptions options = Logistic(path);
  options.drop_missing = true;
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_NE(json_["warnings"].dump().find("dropped 1 rows with missing values"),
            std::string::npos);
}

TEST_F(FitCommandTest, TheExecutableExitsNonZeroWithAMessage) {
  const std::string command =
      std::string(FISHEROPT_EXECUTABLE) + " fit --data " +
      (directory_ / "absent.csv").string() + " --response y 2> " +
      (directory_ / "stderr.txt").string();
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::ifstream stderr_file(directory_ / "stderr.txt");
  std::string line;
  std::getline(stderr_file, line);
  EXPECT_EQ(line.rfind("fisheropt fit: cannot open", 0), 0u) << line;

  const std::string ok = std::string(FISHEROPT_EXECUTABLE) + " fit --data " +
                         ReferenceCsv() +
                         " --model logistic --response y > /dev/null";
  EXPECT_EQ(std::system(ok.c_str()), 0);
}

// A .npy file (format 1.0) of float64 values in C or Fortran order.
std::string NpyBytes(const std::vector<double>& values,
                     const std::string& shape, bool fortran_order) {
  std::string header = "{'descr': '<f8', 'fortran_order': " +
                       std::string(fortran_order ? "True" : "False") +
                       ", 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string bytes = "\x93NUMPY\x01";
  bytes += '\0';
  bytes += static_cast<char>(header.size() & 0xFF);
  bytes += static_cast<char>(header.size() >> 8);
  bytes += header;
  bytes.append(reinterpret_cast<const char*>(values.data()),
               sizeof(double) * values.size());
  return bytes;
}

class NpyFitTest : public FitCommandTest {
 protected:
  // The R reference data set's X (x1, x2; with a column of ones first when
  // `ones`) and y as .npy files.
  FitOptions NpyLogistic(bool fortran_order, bool ones = false) {
    std::vector<double> x;
    std::vector<double> y;
    const int p = ones ? 3 : 2;
    std::vector<std::vector<double>> columns(p);
    for (int i = 1; i <= 30; ++i) {
      std::vector<double> row = {(i - 15.5) / 10.0, std::cos(i)};
      if (ones) row.insert(row.begin(), 1.0);
      for (int j = 0; j < p; ++j) columns[j].push_back(row[j]);
      if (!fortran_order) x.insert(x.end(), row.begin(), row.end());
      y.push_back(kY[i - 1]);
    }
    if (fortran_order) {
      for (const auto& column : columns) {
        x.insert(x.end(), column.begin(), column.end());
      }
    }
    const std::string shape = "(30, " + std::to_string(p) + ")";
    FitOptions options;
    options.data_path = Write("x.npy", NpyBytes(x, shape, fortran_order));
    options.response_data_path = Write("y.npy", NpyBytes(y, "(30,)", false));
    options.model = "logistic";
    options.call = "test";
    options.tolerance = 1e-15;
    return options;
  }
};

TEST_F(NpyFitTest, NpyFitMatchesRGlmInEitherOrder) {
  // R: glm(y ~ x1 + x2, family = binomial) as in LogisticMatchesRGlm; the
  // .npy columns are named x0, x1.
  const double estimate[3] = {0.47725269772613460, 1.04362717141078609,
                              -0.31874274728564889};
  const double std_error[3] = {0.41455447586576200, 0.51329494327120817,
                               0.58639032240980649};
  for (const bool fortran_order : {false, true}) {
    ASSERT_EQ(Run(NpyLogistic(fortran_order)), 0) << err_.str();
    EXPECT_EQ(err_.str(), "");
    ASSERT_EQ(json_["coefficients"].size(), 3u);
    const char* names[3] = {"(Intercept)", "x0", "x1"};
    for (int k = 0; k < 3; ++k) {
      EXPECT_EQ(json_["coefficients"][k]["name"], names[k]);
      EXPECT_NEAR(Coefficient(json_, k, "estimate"), estimate[k],
                  1e-8 * std::abs(estimate[k]));
      EXPECT_NEAR(Coefficient(json_, k, "std_error"), std_error[k],
                  1e-8 * std_error[k]);
    }
    EXPECT_NEAR(json_["deviance"].get<double>(), 35.194562038921418, 1e-9);
    EXPECT_EQ(json_["formula"], "y ~ x0 + x1");
  }
  // X with its own column of ones and --no-intercept: the same fit, the
  // ones column named x0.
  FitOptions options = NpyLogistic(false, /*ones=*/true);
  options.no_intercept = true;
  ASSERT_EQ(Run(options), 0) << err_.str();
  ASSERT_EQ(json_["coefficients"].size(), 3u);
  EXPECT_EQ(json_["coefficients"][0]["name"], "x0");
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(Coefficient(json_, k, "estimate"), estimate[k],
                1e-8 * std::abs(estimate[k]));
  }
}

TEST_F(NpyFitTest, NpyUsageAndDataErrors) {
  FitOptions options = NpyLogistic(false);
  options.response_data_path.clear();
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: --data X.npy needs --response-data y.npy\n");
  options = NpyLogistic(false);
  options.response = "y";
  options.drop_missing = true;
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: --data X.npy takes no --response, --drop-missing "
            "(its columns are x0, x1, ...; its values must be finite)\n");
  options = NpyLogistic(false);
  options.model = "mvn";
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: --model mvn reads a CSV file, not --data X.npy\n");
  options = Logistic(ReferenceCsv());
  options.response_data_path = Write("y2.npy", NpyBytes({1}, "(1,)", false));
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: --response-data is for --data X.npy; a CSV file "
            "names its response with --response\n");
  // Bad data: exit status 1, one line naming the file.
  options = NpyLogistic(false);
  options.response_data_path =
      Write("short.npy", NpyBytes({0, 1, 1}, "(3,)", false));
  EXPECT_EQ(Error(options), "fisheropt fit: " + options.data_path +
                                " has 30 rows but " +
                                options.response_data_path + " has 3\n");
  options = NpyLogistic(false);
  std::vector<double> y(30, 1.0);
  y[7] = std::nan("");
  options.response_data_path = Write("nan.npy", NpyBytes(y, "(30,)", false));
  EXPECT_EQ(Error(options), "fisheropt fit: " + options.response_data_path +
                                ": the value at row 7, column 0 (counted "
                                "from 0) is NaN\n");
  options = NpyLogistic(false);
  options.data_path = Write("text.npy", "y,x\n1,2\n");
  EXPECT_EQ(Error(options),
            "fisheropt fit: " + options.data_path +
                ": not a .npy file (it does not start with \\x93NUMPY; "
                "numpy.save writes .npy files, numpy.savez .npz archives, "
                "which are not read)\n");
}

TEST_F(NpyFitTest, ShortRunsPrintNothingOnStderrQuietOrNot) {
  FitOptions options = Logistic(ReferenceCsv());
  ASSERT_EQ(Run(options), 0);
  EXPECT_EQ(err_.str(), "");
  options.quiet = true;
  ASSERT_EQ(Run(options), 0);
  EXPECT_EQ(err_.str(), "");
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

// Whether the MLE exists is decided by a linear program, for every link,
// not by fitted probabilities.
class MleExistenceFitTest : public FitCommandTest {};

TEST_F(MleExistenceFitTest, LargeEffectWithOverlapConvergesAsInR) {
  // t = −60, −58, ..., 60; y = 1 for t > 0 except y(2) = 0, y(−2) = y(−6)
  // = 1: fitted probabilities reach 4e-8, the MLE exists. R:
  //   f <- glm(y ~ t, binomial, control = glm.control(epsilon = 1e-12))
  //   f <- update(f, start = coef(f)); coef(f); sqrt(diag(vcov(f)))
  std::string text = "y,t\n";
  for (int t = -60; t <= 60; t += 2) {
    const bool one = (t > 0 && t != 2) || t == -2 || t == -6;
    text += std::to_string(one ? 1 : 0) + "," + std::to_string(t) + "\n";
  }
  FitOptions options = Logistic(Write("large_effect.csv", text));
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_TRUE(json_["converged"].get<bool>());
  EXPECT_EQ(out_.str().find("separation"), std::string::npos) << out_.str();
  EXPECT_NEAR(Coefficient(json_, 1, "estimate"), 0.28798924819951227,
              1e-7 * 0.28798924819951227);
  EXPECT_NEAR(Coefficient(json_, 1, "std_error"), 0.12050116853271688,
              1e-7 * 0.12050116853271688);
}

TEST_F(MleExistenceFitTest, SeparationIsReportedForEveryBinaryLink) {
  std::string text = "y,x\n";
  for (int i = 0; i < 10; ++i) {
    text += std::to_string(i < 5 ? 0 : 1) + "," + std::to_string(i) + "\n";
  }
  const std::string path = Write("separated.csv", text);
  for (const char* link : {"logistic", "probit", "cloglog"}) {
    FitOptions options = Logistic(path);
    options.model = link;
    ASSERT_EQ(Run(options), 0) << err_.str();
    EXPECT_FALSE(json_["converged"].get<bool>()) << link;
    EXPECT_NE(out_.str().find("separation: the data are (quasi-)completely "
                              "separated along"),
              std::string::npos)
        << link << "\n"
        << out_.str();
  }
}

TEST_F(MleExistenceFitTest, PoissonGroupOfZeroCountsHasNoMle) {
  FitOptions options = Logistic(
      Write("counts.csv", "count,g\n0,1\n0,1\n0,1\n3,0\n1,0\n4,0\n1,0\n"));
  options.model = "poisson";
  options.response = "count";
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_FALSE(json_["converged"].get<bool>());
  EXPECT_NE(out_.str().find("the MLE does not exist: the likelihood keeps "
                            "increasing along -1*g, which lowers toward 0 "
                            "the fitted means of 3 samples"),
            std::string::npos)
      << out_.str();
}

TEST_F(MleExistenceFitTest, PerfectGaussianFitIsReportedAsSuch) {
  // y = 1 + 2x exactly: R's summary.lm warns "essentially perfect fit".
  FitOptions options =
      Logistic(Write("exact.csv", "y,x\n1,0\n3,1\n5,2\n7,3\n9,4\n"));
  options.model = "gaussian";
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_NE(out_.str().find("essentially perfect fit"), std::string::npos)
      << out_.str();
  EXPECT_EQ(out_.str().find("InferenceOptions"), std::string::npos);
  EXPECT_GE(json_["deviance"].get<double>(), 0.0);
  EXPECT_LT(json_["deviance"].get<double>(), 1e-25);
  EXPECT_TRUE(json_["log_likelihood"].is_null());
  EXPECT_TRUE(json_["coefficients"][1]["std_error"].is_null());
  EXPECT_NEAR(Coefficient(json_, 1, "estimate"), 2.0, 1e-14);
}

// A formula with factors and an interaction, through the command line: R's
// glm(breaks ~ wool * tension, family = poisson, data = warpbreaks)
// (tests/data/r/reference/warpbreaks_poisson.json; text columns give the
// levels in sorted order, so tension's reference level is H).
TEST_F(FitCommandTest, FormulaWithFactorsMatchesR) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference("warpbreaks_poisson", &r, &error))
      << error;
  FitOptions options;
  options.data_path = testing::RDataPath("warpbreaks.csv");
  options.model = "poisson";
  options.formula = "breaks ~ wool * tension";
  options.call = "test";
  ASSERT_EQ(Run(options), 0) << err_.str();
  ExpectCoefficientsMatchR(json_, r);
  EXPECT_NEAR(json_["deviance"].get<double>(), r.deviance, 1e-9 * r.deviance);
  EXPECT_EQ(json_["family"], "poisson");
  EXPECT_EQ(json_["link"], "log");
  EXPECT_EQ(json_["formula"], "breaks ~ wool * tension");
  EXPECT_NE(out_.str().find("Factors: wool: A, B; tension: H, L, M\n"),
            std::string::npos)
      << out_.str();
}

// --model negbin (also negative.binomial): MASS's glm.nb, θ estimated (R:
// tests/data/r/reference/quine_negbin.json).
TEST_F(FitCommandTest, NegativeBinomialMatchesGlmNb) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference("quine_negbin", &r, &error)) << error;
  FitOptions options;
  options.data_path = testing::RDataPath("quine.csv");
  options.formula = r.formula;
  options.call = "test";
  for (const std::string model : {"negbin", "negative.binomial"}) {
    options.model = model;
    ASSERT_EQ(Run(options), 0) << err_.str();
    ExpectCoefficientsMatchR(json_, r);
    EXPECT_EQ(json_["family"], "negative.binomial");
    EXPECT_NEAR(json_["theta"].get<double>(), r.theta, 1e-7 * r.theta);
    EXPECT_NEAR(json_["twologlik"].get<double>(), r.twologlik,
                1e-9 * std::abs(r.twologlik));
    EXPECT_NEAR(json_["aic"].get<double>(), r.aic, 1e-9 * r.aic);
    EXPECT_NE(out_.str().find("Theta: 1.27489264"), std::string::npos)
        << out_.str();
  }
}

// --model multinomial: nnet::multinom(Species ~ Sepal.Length, iris) (R:
// tests/data/r/reference/iris_multinom.json).
TEST_F(FitCommandTest, MultinomialMatchesMultinom) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference("iris_multinom", &r, &error)) << error;
  FitOptions options;
  options.data_path = testing::RDataPath("iris.csv");
  options.model = "multinomial";
  options.formula = r.formula;
  options.call = "test";
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_EQ(json_["classes"].get<std::vector<std::string>>(), r.classes);
  const int p = static_cast<int>(r.coefficient_cols.size());
  for (size_t at = 0; at < r.names.size(); ++at) {
    const int k = static_cast<int>(at) / p, j = static_cast<int>(at) % p;
    EXPECT_NEAR(json_["coefficients"][k][j].get<double>(), r.estimates[at],
                1e-6 * std::abs(r.estimates[at]));
    EXPECT_NEAR(json_["std_errors"][k][j].get<double>(), r.std_errors[at],
                1e-6 * r.std_errors[at]);
  }
  EXPECT_NEAR(json_["deviance"].get<double>(), r.deviance, 1e-9 * r.deviance);
  EXPECT_NEAR(json_["aic"].get<double>(), r.aic, 1e-9 * r.aic);
  EXPECT_NE(out_.str().find("Classes: setosa, versicolor, virginica"),
            std::string::npos)
      << out_.str();
}

// Without --predictors the model is R's y ~ .: text columns enter as
// factors (never left out silently), and the summary says which columns
// entered.
TEST_F(FitCommandTest, DefaultPredictorsIncludeTextColumnsAsFactors) {
  FitOptions options;
  options.data_path = testing::RDataPath("warpbreaks.csv");
  options.model = "poisson";
  options.response = "breaks";
  options.call = "test";
  ASSERT_EQ(Run(options), 0) << err_.str();
  std::vector<std::string> names;
  for (const auto& c : json_["coefficients"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"(Intercept)", "woolB", "tensionL",
                                             "tensionM"}));
  EXPECT_NE(out_.str().find("Columns used: breaks, wool, tension\n"),
            std::string::npos)
      << out_.str();
  // A text column named in --predictors is a factor too.
  options.predictors = {"wool"};
  ASSERT_EQ(Run(options), 0) << err_.str();
  ASSERT_EQ(json_["coefficients"].size(), 2u);
  EXPECT_EQ(json_["coefficients"][1]["name"], "woolB");
}

// --weights and --link: R's glm(admitted ~ Gender + Dept, binomial,
// weights = Freq) and a probit fit of the same (R:
// tests/data/r/reference/ucbadmissions_binomial.json).
TEST_F(FitCommandTest, WeightsAndLinkOptions) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference("ucbadmissions_binomial", &r, &error))
      << error;
  FitOptions options;
  options.data_path = testing::RDataPath("ucbadmissions.csv");
  options.model = "binomial";
  options.response = "admitted";
  options.predictors = {"Gender", "Dept"};
  options.weights = "Freq";
  options.call = "test";
  ASSERT_EQ(Run(options), 0) << err_.str();
  ExpectCoefficientsMatchR(json_, r);
  EXPECT_EQ(json_["df_residual"], r.df_residual);
  options.link = "probit";
  ASSERT_EQ(Run(options), 0) << err_.str();
  EXPECT_EQ(json_["link"], "probit");
  options.link = "inverse";
  EXPECT_EQ(UsageError(options),
            "fisheropt fit: link \"inverse\" is not available for the "
            "binomial family; available links: logit, probit, cauchit, log, "
            "cloglog\n");
  options.link = "banana";
  EXPECT_NE(UsageError(options).find("unknown --link 'banana'"),
            std::string::npos);
}

// --covariance HC3 and --covariance HC1 --cluster stratum: R's
// sandwich::vcovHC(fit2, type = "HC3") and vcovCL(fit2, cluster =
// ~stratum, type = "HC1") (tests/data/r/reference/infert_logit.json).
TEST_F(FitCommandTest, RobustCovariancesMatchSandwich) {
  testing::RReference r;
  std::string error;
  ASSERT_TRUE(testing::LoadRReference("infert_logit", &r, &error)) << error;
  FitOptions options;
  options.data_path = testing::RDataPath("infert.csv");
  options.model = "binomial";
  options.formula = "case ~ spontaneous + induced + education";
  options.call = "test";
  options.covariance = "HC3";
  const auto expect_std_errors = [&](const Eigen::VectorXd& expected) {
    ASSERT_EQ(json_["coefficients"].size(), r.names.size());
    for (size_t j = 0; j < r.names.size(); ++j) {
      EXPECT_NEAR(Coefficient(json_, static_cast<int>(j), "std_error"),
                  expected[j], 1e-7 * expected[j]);
    }
  };
  ASSERT_EQ(Run(options), 0) << err_.str();
  expect_std_errors(r.std_errors_hc[3]);
  EXPECT_EQ(json_["covariance_source"], "HC3");
  EXPECT_NE(out_.str().find("Standard errors: heteroskedasticity-consistent "
                            "HC3 (as R's sandwich::vcovHC)"),
            std::string::npos)
      << out_.str();
  options.covariance = "HC1";
  options.cluster = "stratum";
  ASSERT_EQ(Run(options), 0) << err_.str();
  expect_std_errors(r.std_errors_cluster_hc1);
  EXPECT_EQ(json_["clusters"], 83);
  // Usage errors: clusters with HC3, an unknown type, a non-GLM model.
  options.covariance = "HC3";
  EXPECT_NE(UsageError(options).find("HC0 or HC1, not HC3"), std::string::npos);
  options.covariance = "HC4";
  EXPECT_NE(UsageError(options).find("unknown --covariance 'HC4'"),
            std::string::npos);
  options.covariance = "HC0";
  options.cluster = "no_such_column";
  EXPECT_NE(Error(options).find("unknown cluster column 'no_such_column'"),
            std::string::npos);
}

TEST_F(FitCommandTest, FormulaUsageErrors) {
  FitOptions options;
  options.data_path = testing::RDataPath("warpbreaks.csv");
  options.model = "poisson";
  options.formula = "breaks ~ wool";
  options.response = "breaks";
  options.call = "test";
  EXPECT_NE(UsageError(options).find("give either --formula or --response"),
            std::string::npos);
  options.response.clear();
  options.formula = "breaks ~ wool + )";
  EXPECT_EQ(Error(options),
            "fisheropt fit: formula: unexpected ')' at character 17 of "
            "'breaks ~ wool + )'\n");
  options.formula = "breaks ~ colour";
  EXPECT_NE(Error(options).find("colour"), std::string::npos);
  options.model = "mvn";
  EXPECT_NE(UsageError(options).find("--link and --formula are for GLMs"),
            std::string::npos);
}

}  // namespace
}  // namespace fisheropt
