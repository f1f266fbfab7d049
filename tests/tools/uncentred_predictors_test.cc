// Fits on predictors far from zero relative to their spread: UTM northings,
// unix timestamps, a column offset by 1e6. The data sets and R's numbers come
// from tests/data/uncentred/make_reference.R (R 4.2, Debian r-base-core; its
// output is reference.txt beside it). R's glm is refitted from its own estimate
// (start = coef(fit)), so that its standard errors use the weights at the MLE.
// R's own two fits agree to ~1e-11 relative, so the tolerance is 1e-7 (LRE ≥
// 7).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tools/fit_command.h"

namespace fisheropt {
namespace {

struct Reference {
  std::vector<std::string> names;
  std::vector<double> estimate, std_error;
  double deviance = 0.0, null_deviance = 0.0, aic = 0.0;
};

class UncentredPredictorsTest : public ::testing::Test {
 protected:
  nlohmann::json Fit(const std::string& file, const std::string& model,
                     const std::string& response,
                     const std::vector<std::string>& predictors) {
    FitOptions options;
    options.data_path =
        std::string(FISHEROPT_TEST_DATA_DIR) + "/uncentred/" + file;
    options.model = model;
    options.response = response;
    options.predictors = predictors;
    options.call = "test";
    options.json_path =
        (std::filesystem::temp_directory_path() /
         ("fisheropt_uncentred_" + std::to_string(getpid()) + ".json"))
            .string();
    std::ostringstream out, err;
    EXPECT_EQ(RunFit(options, out, err), 0) << err.str();
    summary_ = out.str();
    nlohmann::json json;
    std::ifstream(options.json_path) >> json;
    std::filesystem::remove(options.json_path);
    return json;
  }

  void ExpectMatches(const nlohmann::json& json, const Reference& r) {
    ASSERT_EQ(json["coefficients"].size(), r.names.size());
    for (size_t k = 0; k < r.names.size(); ++k) {
      const nlohmann::json& c = json["coefficients"][k];
      EXPECT_EQ(c["name"], r.names[k]);
      EXPECT_FALSE(c["aliased"].get<bool>()) << r.names[k];
      EXPECT_NEAR(c["estimate"].get<double>(), r.estimate[k],
                  1e-7 * std::abs(r.estimate[k]))
          << r.names[k];
      EXPECT_NEAR(c["std_error"].get<double>(), r.std_error[k],
                  1e-7 * r.std_error[k])
          << r.names[k];
    }
    EXPECT_NEAR(json["deviance"].get<double>(), r.deviance, 1e-8 * r.deviance);
    EXPECT_NEAR(json["null_deviance"].get<double>(), r.null_deviance,
                1e-9 * r.null_deviance);
    EXPECT_NEAR(json["aic"].get<double>(), r.aic, 1e-8 * r.aic);
    EXPECT_TRUE(json["converged"].get<bool>());
    EXPECT_EQ(summary_.find("singularities"), std::string::npos) << summary_;
  }

  std::string summary_;
};

TEST_F(UncentredPredictorsTest, UtmNorthingLogisticMatchesR) {
  // glm(y ~ northing + elevation, binomial, start = coef(fit))
  ExpectMatches(
      Fit("utm_logistic.csv", "logistic", "y", {}),
      {{"(Intercept)", "northing", "elevation"},
       {-1392007.2735018576, 0.27171402375774517, 0.010591914120725269},
       {164378.78729265719, 0.032085989023465364, 0.0068339713037925045},
       168.8290015962788,
       383.27982015143829,
       174.8290015962788});
}

TEST_F(UncentredPredictorsTest, UnixTimestampGaussianMatchesR) {
  // glm(load ~ timestamp, gaussian); lm gives the same numbers.
  const nlohmann::json json = Fit("unix_gaussian.csv", "gaussian", "load", {});
  ExpectMatches(json, {{"(Intercept)", "timestamp"},
                       {-6968379.2951505231, 0.0040200831300380001},
                       {58590.280056832446, 3.380074946708176e-05},
                       45.889856471131679,
                       3324.3425143200002,
                       279.16076011823094});
  EXPECT_NEAR(json["dispersion"].get<double>(), 0.23176695187440241,
              1e-9 * 0.23176695187440241);
}

TEST_F(UncentredPredictorsTest, OffsetByAMillionLogisticMatchesR) {
  // glm(yb ~ x + z, binomial, start = coef(fit))
  ExpectMatches(
      Fit("offset_1e6.csv", "logistic", "yb", {"x", "z"}),
      {{"(Intercept)", "x", "z"},
       {-808672.42224142468, 0.80867245289801726, -0.58178507759862641},
       {155516.81561109738, 0.15551682708633274, 0.13628206778989041},
       296.66601524675855,
       346.50958754902638,
       302.66601524675855});
}

TEST_F(UncentredPredictorsTest, OffsetByAMillionGaussianMatchesR) {
  // glm(yg ~ x + z, gaussian)
  const nlohmann::json json =
      Fit("offset_1e6.csv", "gaussian", "yg", {"x", "z"});
  ExpectMatches(
      json, {{"(Intercept)", "x", "z"},
             {-1496974.2968810541, 1.4969773097483026, 0.6915908806924097},
             {19393.232816843687, 0.019393234370557389, 0.018065183325456247},
             23.729707651006837,
             738.95606225376002,
             128.78597477825434});
  EXPECT_NEAR(json["dispersion"].get<double>(), 0.096071690894764528,
              1e-9 * 0.096071690894764528);
}

TEST_F(UncentredPredictorsTest, ExactLinearCombinationIsStillAliased) {
  // w = 2x − 3z, written to the CSV with 17 digits; R:
  //   glm(yb ~ x + z + w, binomial) gives w = NA.
  const std::string source =
      std::string(FISHEROPT_TEST_DATA_DIR) + "/uncentred/offset_1e6.csv";
  std::ifstream in(source);
  std::string line;
  std::getline(in, line);
  std::ostringstream text;
  text << "yb,x,z,w\n";
  while (std::getline(in, line)) {
    // yb,yg,x,z: keep the text of yb, x and z, append w.
    std::vector<std::string> fields;
    std::istringstream row(line);
    for (std::string field; std::getline(row, field, ',');) {
      fields.push_back(field);
    }
    ASSERT_EQ(fields.size(), 4u) << line;
    char w[64];
    std::snprintf(w, sizeof(w), "%.17g",
                  2 * std::stod(fields[2]) - 3 * std::stod(fields[3]));
    text << fields[0] << "," << fields[2] << "," << fields[3] << "," << w
         << "\n";
  }
  const std::string path =
      (std::filesystem::temp_directory_path() /
       ("fisheropt_aliased_" + std::to_string(getpid()) + ".csv"))
          .string();
  std::ofstream(path) << text.str();
  FitOptions options;
  options.data_path = path;
  options.model = "logistic";
  options.response = "yb";
  options.call = "test";
  std::ostringstream out, err;
  EXPECT_EQ(RunFit(options, out, err), 0) << err.str();
  std::filesystem::remove(path);
  EXPECT_NE(out.str().find("'w' is aliased"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("(1 not defined because of singularities: w)"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace fisheropt
