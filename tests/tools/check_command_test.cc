#include "tools/check_command.h"

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(CheckCommandTest, EveryCheckPassesForLogisticMvnAndSoftmax) {
  for (const std::string& name : CheckModelNames()) {
    CheckOptions options;
    options.model = name;
    options.draws = 300;
    CheckResult result;
    std::string error;
    ASSERT_TRUE(RunCheck(options, &result, &error)) << error;
    EXPECT_TRUE(result.all_pass) << result.text;
    ASSERT_EQ(result.reports.size(), 2u);
    EXPECT_EQ(result.point_labels[1], "perturbed");
    EXPECT_NE(result.text.find("PASS"), std::string::npos);
    EXPECT_EQ(result.text.find("FAIL"), std::string::npos) << result.text;
    EXPECT_NE(result.text.find("Std. Error"), std::string::npos);
    // The empirical Fisher is close to F at the MLE and far from it away.
    const auto gap = [&](int k) {
      for (const DiagnosticRow& row : result.reports[k].rows) {
        if (row.name.rfind("‖F_emp", 0) == 0) return row.estimate;
      }
      return -1.0;
    };
    EXPECT_LT(gap(0), gap(1)) << result.text;
  }
}

TEST(CheckCommandTest, BadOptionsNameTheField) {
  CheckOptions options;
  options.model = "poisson";
  CheckResult result;
  std::string error;
  EXPECT_FALSE(RunCheck(options, &result, &error));
  EXPECT_EQ(error,
            "CheckOptions::model = 'poisson' must be one of: logistic, mvn, "
            "softmax");
  options = CheckOptions();
  options.draws = 1;
  EXPECT_FALSE(RunCheck(options, &result, &error));
  EXPECT_EQ(error, "CheckOptions::draws = 1 must be >= 2");
}

}  // namespace
}  // namespace fisheropt
