#include "problems/nist_models.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "problems/nist_dataset.h"
#include "tests/problems/nist_test_utilities.h"
#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::LoadNistModel;
using testing::NistFile;

// Every model function at the certified values reproduces the certified
// residual sum of squares to 9 significant digits: a check of the formula,
// the parameter order, the column order and the reader at once.
class NistCertifiedRssTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NistCertifiedRssTest, ModelAtCertifiedValuesGivesCertifiedRss) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::unique_ptr<NonlinearRegressionModel> model =
      LoadNistModel(GetParam(), &data);
  ASSERT_NE(model, nullptr);
  double rss = 0.0;
  ASSERT_TRUE(model->ResidualSumOfSquares(data.certified_values, &rss));
  const double certified = data.certified_residual_sum_of_squares;
  if (GetParam() == "Lanczos1") {
    // Lanczos1's data are generated to 12+ digits from the model itself, so
    // its certified RSS, 1.4307867721E-25, is below what double precision
    // resolves for responses of size ~1 (each residual carries ~1e-16
    // rounding, 24 of them: RSS ~1e-31 to 1e-26 at best, and the 11-digit
    // certified values perturb it further). Only "essentially zero" is
    // checkable: an absolute 1e-20.
    EXPECT_NEAR(rss, certified, 1e-20);
  } else {
    EXPECT_NEAR(rss, certified, 1e-9 * certified)
        << "relative error " << std::abs(rss - certified) / certified;
  }
  // L is Ceres' cost: ½ RSS.
  double value = 0.0;
  ASSERT_TRUE(model->Evaluate(data.certified_values, &value, nullptr));
  EXPECT_DOUBLE_EQ(value, 0.5 * rss);
}

INSTANTIATE_TEST_SUITE_P(AllNistProblems, NistCertifiedRssTest,
                         ::testing::ValuesIn(NistModelNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

// The Jet Jacobian equals central finite differences of the residuals.
class NistJacobianTest : public ::testing::TestWithParam<std::string> {};

TEST_P(NistJacobianTest, JetJacobianMatchesCentralDifferences) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::unique_ptr<NonlinearRegressionModel> model =
      LoadNistModel(GetParam(), &data);
  ASSERT_NE(model, nullptr);
  for (const Eigen::VectorXd& theta :
       {data.starts[0], data.starts[1], data.certified_values}) {
    Eigen::VectorXd residuals;
    Eigen::MatrixXd jacobian;
    ASSERT_TRUE(model->Residuals(theta, &residuals, &jacobian));
    // Relative steps per parameter: the parameters span 1e-9 .. 1e3.
    Eigen::MatrixXd numeric(residuals.size(), theta.size());
    for (Eigen::Index j = 0; j < theta.size(); ++j) {
      const double h = 1e-6 * std::abs(theta[j]);
      Eigen::VectorXd plus = theta, minus = theta, r_plus, r_minus;
      plus[j] += h;
      minus[j] -= h;
      ASSERT_TRUE(model->Residuals(plus, &r_plus, nullptr));
      ASSERT_TRUE(model->Residuals(minus, &r_minus, nullptr));
      numeric.col(j) = (r_plus - r_minus) / (2.0 * h);
    }
    for (Eigen::Index j = 0; j < theta.size(); ++j) {
      EXPECT_LT(testing::RelativeError(jacobian.col(j), numeric.col(j)), 1e-7)
          << GetParam() << " column " << j;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(SeveralNistProblems, NistJacobianTest,
                         ::testing::Values("Misra1a", "Gauss1", "ENSO",
                                           "Roszman1", "Nelson", "Rat43",
                                           "Bennett5", "DanWood"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(NistModelsTest, UnknownNameListsTheKnownProblems) {
  std::string error;
  EXPECT_EQ(CreateNistRegressionFunction("Misra9z", &error), nullptr);
  EXPECT_NE(error.find("unknown NIST problem 'Misra9z'"), std::string::npos);
  EXPECT_NE(error.find("Bennett5"), std::string::npos);
}

// MGH09 (4 parameters) cut to 3 observations: refused with both
// counts before any solver sees the 3 × 4 Jacobian; 4 observations (an
// exact fit) are accepted.
TEST(NistModelsTest, FewerObservationsThanParametersAreRefused) {
  FISHEROPT_REQUIRE_NIST_FILES();
  NistDataset data;
  std::string error;
  ASSERT_TRUE(ReadNistDataset(NistFile("MGH09"), &data, &error)) << error;
  data.responses.conservativeResize(4);
  data.predictors.conservativeResize(4, 1);
  EXPECT_NE(CreateNistModel(data, &error), nullptr) << error;
  data.responses.conservativeResize(3);
  data.predictors.conservativeResize(3, 1);
  EXPECT_EQ(CreateNistModel(data, &error), nullptr);
  EXPECT_EQ(error,
            "3 observations but 4 parameters: model 'MGH09' needs at least "
            "as many observations as parameters (its Jacobian has rank at "
            "most 3, so the parameters are not identifiable)");
}

}  // namespace
}  // namespace fisheropt
