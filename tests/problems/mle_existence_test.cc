#include "problems/mle_existence.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace fisheropt {
namespace {

// 20 rows of (1, t), t = −1.9, −1.7, ..., 1.9.
RowMatrixXd InterceptAndSlope() {
  RowMatrixXd x(20, 2);
  for (int i = 0; i < 20; ++i) x.row(i) << 1.0, -1.9 + 0.2 * i;
  return x;
}

MleExistence Check(const RowMatrixXd& x, const Eigen::VectorXd& y,
                   GlmFamilyType family) {
  MleExistence result;
  std::string error;
  EXPECT_TRUE(CheckMleExistence(x, y, family, &result, &error)) << error;
  return result;
}

// Every binary link whose inverse tends to 0 and 1 has the same verdict.
class BinaryExistenceTest : public ::testing::TestWithParam<GlmFamilyType> {};

TEST_P(BinaryExistenceTest, CompleteSeparationHasNoMle) {
  const RowMatrixXd x = InterceptAndSlope();
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) y[i] = x(i, 1) > 0.0 ? 1.0 : 0.0;
  const MleExistence result = Check(x, y, GetParam());
  EXPECT_FALSE(result.exists);
  EXPECT_NEAR(result.direction.norm(), 1.0, 1e-12);
  // The direction separates: (2y − 1) x_iᵀd ≥ 0 for every row, > 0 for
  // the rows it counts (the LP's vertex may put one row on the boundary).
  const Eigen::VectorXd margins =
      (2.0 * y.array() - 1.0).matrix().cwiseProduct(x * result.direction);
  EXPECT_GE(margins.minCoeff(), -1e-12);
  EXPECT_EQ(result.num_separated_rows, (margins.array() > 1e-7).count());
  EXPECT_GE(result.num_separated_rows, 19);
}

TEST_P(BinaryExistenceTest, QuasiCompleteSeparationHasNoMle) {
  // Both classes at t = 0.1 only; y = 1 above, 0 below: quasi-separated.
  RowMatrixXd x = InterceptAndSlope();
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) y[i] = x(i, 1) > 0.0 ? 1.0 : 0.0;
  RowMatrixXd both(21, 2);
  both.topRows(20) = x;
  both.row(20) << 1.0, x(10, 1);
  Eigen::VectorXd y_both(21);
  y_both << y, 0.0;
  const MleExistence result = Check(both, y_both, GetParam());
  EXPECT_FALSE(result.exists);
  EXPECT_GT(result.num_separated_rows, 0);
  EXPECT_LT(result.num_separated_rows, 21);
}

TEST_P(BinaryExistenceTest, OverlappingClassesHaveAnMle) {
  const RowMatrixXd x = InterceptAndSlope();
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) y[i] = (i % 3 == 0) != (x(i, 1) > 0) ? 1 : 0;
  EXPECT_TRUE(Check(x, y, GetParam()).exists);
}

TEST_P(BinaryExistenceTest, OneOverlapFarOutStillHasAnMle) {
  // Separated except for one 1 among the 0s: the MLE exists however large
  // the fitted probabilities get (what the old fitted-value check called
  // "separated").
  const RowMatrixXd x = InterceptAndSlope();
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) y[i] = x(i, 1) > 0.0 ? 1.0 : 0.0;
  y[0] = 1.0;
  EXPECT_TRUE(Check(x, y, GetParam()).exists);
}

TEST_P(BinaryExistenceTest, ConstantResponseHasNoMle) {
  const RowMatrixXd x = InterceptAndSlope();
  EXPECT_FALSE(Check(x, Eigen::VectorXd::Zero(20), GetParam()).exists);
  EXPECT_FALSE(Check(x, Eigen::VectorXd::Ones(20), GetParam()).exists);
}

// A proportion 0 < y < 1 has both outcomes: its row must have x_iᵀd = 0.
// At the boundary of separated classes it keeps the separation; beyond the
// y = 1 class it bounds the likelihood (0.3 log(1 − μ) → −∞ along d), as a
// 0/1 row would not.
TEST_P(BinaryExistenceTest, ProportionsConstrainBothWays) {
  const RowMatrixXd x = InterceptAndSlope();
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) y[i] = x(i, 1) > 0.0 ? 1.0 : 0.0;
  RowMatrixXd extended(21, 2);
  extended.topRows(20) = x;
  Eigen::VectorXd y_extended(21);
  // At t = 0, between the classes.
  extended.row(20) << 1.0, 0.0;
  y_extended << y, 0.5;
  EXPECT_FALSE(Check(extended, y_extended, GetParam()).exists);
  // At t = 3, beyond the y = 1 class (as y = 1 it would stay separated).
  extended.row(20) << 1.0, 3.0;
  y_extended << y, 0.7;
  EXPECT_TRUE(Check(extended, y_extended, GetParam()).exists);
  y_extended << y, 1.0;
  EXPECT_FALSE(Check(extended, y_extended, GetParam()).exists);
}

INSTANTIATE_TEST_SUITE_P(Links, BinaryExistenceTest,
                         ::testing::Values(GlmFamilyType::kBernoulliLogit,
                                           GlmFamilyType::kBernoulliProbit,
                                           GlmFamilyType::kBernoulliCloglog),
                         [](const auto& info) { return ToString(info.param); });

// Two groups (indicator columns, no intercept) with counts.
RowMatrixXd TwoGroups() {
  RowMatrixXd x(12, 2);
  for (int i = 0; i < 12; ++i) x.row(i) << 1.0, i < 6 ? 1.0 : 0.0;
  return x;
}

TEST(PoissonExistenceTest, GroupWithOnlyZeroCountsHasNoMle) {
  Eigen::VectorXd y(12);
  y << 0, 0, 0, 0, 0, 0, 3, 1, 4, 1, 5, 9;  // group 1 (first six) all zero
  const MleExistence result = Check(TwoGroups(), y, GlmFamilyType::kPoissonLog);
  EXPECT_FALSE(result.exists);
  // The direction lowers group 1's η only: x_iᵀd < 0 on the first six rows,
  // = 0 on the others.
  const Eigen::VectorXd eta = TwoGroups() * result.direction;
  EXPECT_LT(eta.head(6).maxCoeff(), 0.0);
  EXPECT_LT(eta.tail(6).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_EQ(result.num_separated_rows, 6);
}

TEST(PoissonExistenceTest, EveryGroupWithACountHasAnMle) {
  Eigen::VectorXd y(12);
  y << 0, 0, 1, 0, 0, 0, 3, 1, 4, 1, 5, 9;
  EXPECT_TRUE(Check(TwoGroups(), y, GlmFamilyType::kPoissonLog).exists);
}

TEST(PoissonExistenceTest, AllZeroCountsHaveNoMle) {
  EXPECT_FALSE(
      Check(TwoGroups(), Eigen::VectorXd::Zero(12), GlmFamilyType::kPoissonLog)
          .exists);
}

TEST(GaussianExistenceTest, AlwaysExists) {
  EXPECT_TRUE(Check(InterceptAndSlope(), Eigen::VectorXd::Zero(20),
                    GlmFamilyType::kGaussianIdentity)
                  .exists);
}

}  // namespace
}  // namespace fisheropt
