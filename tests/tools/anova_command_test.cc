// End-to-end tests of `fisheropt anova`: two fits written by `fit --json`,
// compared with R's anova(small, big, test = "LRT" / "F")
// (tests/data/r/reference/warpbreaks_anova_*.json).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "stats/anova.h"
#include "stats/glm_fit.h"
#include "tests/stats/r_reference.h"
#include "tests/tools/fit_json_fixture.h"
#include "tools/fit_command.h"
#include "tools/predict_command.h"

namespace fisheropt {
namespace {

using testing::LoadRAnovaReference;
using testing::RAnovaReference;
using testing::RDataPath;

class AnovaCommandTest : public FitJsonTest {
 protected:
  int Run(const AnovaOptions& options) {
    out_.str("");
    err_.str("");
    return RunAnova(options, out_, err_);
  }

  // Fits the reference's two models, runs anova on their JSON and compares
  // the numbers of the comparison (from the JSON read back) with R's.
  void ExpectMatchesR(const std::string& case_name, AnovaTest test) {
    RAnovaReference r;
    std::string error;
    ASSERT_TRUE(LoadRAnovaReference(case_name, &r, &error)) << error;
    ASSERT_EQ(r.formulas.size(), 2u);
    AnovaOptions options;
    options.small_path =
        Fit(r.data_file, r.family, r.formulas[0], "small.json");
    options.big_path = Fit(r.data_file, r.family, r.formulas[1], "big.json");
    options.test = r.test;
    ASSERT_EQ(Run(options), 0) << err_.str();
    EXPECT_NE(out_.str().find("Analysis of Deviance Table"), std::string::npos);
    EXPECT_NE(out_.str().find("Model 2: " + r.formulas[1]), std::string::npos);
    EXPECT_NE(out_.str().find(test == AnovaTest::kF ? "Pr(>F)" : "Pr(>Chi)"),
              std::string::npos);

    GlmFit small, big;
    ASSERT_TRUE(LoadFitJson(options.small_path, &small, &error)) << error;
    ASSERT_TRUE(LoadFitJson(options.big_path, &big, &error)) << error;
    AnovaComparison c;
    ASSERT_TRUE(CompareNestedFits(small, big, test, &c, &error)) << error;
    EXPECT_EQ(c.df_residual_small, r.resid_df[0]);
    EXPECT_EQ(c.df_residual_big, r.resid_df[1]);
    EXPECT_EQ(c.df, r.df);
    EXPECT_NEAR(c.deviance_small, r.resid_dev[0], 1e-9 * r.resid_dev[0]);
    EXPECT_NEAR(c.deviance_big, r.resid_dev[1], 1e-9 * r.resid_dev[1]);
    EXPECT_NEAR(c.deviance, r.deviance, 1e-9 * r.deviance);
    EXPECT_NEAR(c.p_value, r.p_value, 1e-9 * r.p_value);
    if (test == AnovaTest::kF) {
      EXPECT_NEAR(c.dispersion, r.dispersion, 1e-9 * r.dispersion);
      EXPECT_NEAR(c.statistic, r.f_statistic, 1e-9 * r.f_statistic);
    }
  }

  std::ostringstream out_, err_;
};

TEST_F(AnovaCommandTest, PoissonLikelihoodRatioMatchesR) {
  ExpectMatchesR("warpbreaks_anova_lrt", AnovaTest::kLikelihoodRatio);
}

TEST_F(AnovaCommandTest, QuasiPoissonFMatchesR) {
  ExpectMatchesR("warpbreaks_anova_f", AnovaTest::kF);
}

TEST_F(AnovaCommandTest, BadInputsAreOneLineErrors) {
  AnovaOptions options;
  options.small_path =
      Fit("warpbreaks.csv", "poisson", "breaks ~ wool", "small.json");
  options.big_path =
      Fit("warpbreaks.csv", "poisson", "breaks ~ wool * tension", "big.json");
  const auto error = [&](int status) {
    EXPECT_EQ(Run(options), status) << out_.str();
    const std::string message = err_.str();
    EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 1) << message;
    return message;
  };
  options.test = "Rao";
  EXPECT_NE(error(2).find("--test 'Rao'"), std::string::npos);
  options.test = "LRT";
  std::swap(options.small_path, options.big_path);
  EXPECT_NE(error(1).find("smaller one"), std::string::npos);
  options.small_path =
      Fit("warpbreaks.csv", "gaussian", "breaks ~ wool", "gaussian.json");
  EXPECT_NE(error(1).find("different families"), std::string::npos);
  options.small_path = Path("absent.json");
  EXPECT_NE(error(1).find("absent.json"), std::string::npos);
}

}  // namespace
}  // namespace fisheropt
