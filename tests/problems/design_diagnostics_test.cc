#include "problems/design_diagnostics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace fisheropt {
namespace {

RowMatrixXd DesignWithIntercept(int n) {
  RowMatrixXd x(n, 4);
  for (int i = 0; i < n; ++i) {
    const double t = (i - 0.5 * n) / n;
    x.row(i) << 1.0, t, std::sin(3.0 * i), t * t;
  }
  return x;
}

TEST(DesignDiagnosticsTest, FullRankDesignHasNoAliasedColumns) {
  EXPECT_TRUE(FindAliasedColumns(DesignWithIntercept(2000)).empty());
}

TEST(DesignDiagnosticsTest, ExactCombinationIsAliasedInColumnOrder) {
  RowMatrixXd x(2000, 6);
  x.leftCols(4) = DesignWithIntercept(2000);
  x.col(4) = 2.0 * x.col(1) - 0.5 * x.col(3);  // combination of earlier ones
  x.col(5) = x.col(2);                         // duplicate
  EXPECT_EQ(FindAliasedColumns(x), (std::vector<int>{4, 5}));
}

TEST(DesignDiagnosticsTest, ConstantPredictorIsAliasedWithTheIntercept) {
  RowMatrixXd x = DesignWithIntercept(100);
  x.col(2).setConstant(3.5);
  EXPECT_EQ(FindAliasedColumns(x), (std::vector<int>{2}));
}

TEST(DesignDiagnosticsTest, ZeroColumnIsAliased) {
  RowMatrixXd x = DesignWithIntercept(100);
  x.col(3).setZero();
  EXPECT_EQ(FindAliasedColumns(x), (std::vector<int>{3}));
}

// Polynomial columns 1, t, t² on 50 equispaced t: R's verdict, from
//   t <- 100 + (0:49)/49; qr(cbind(1, t, t^2), tol = 1e-7)$rank    # 3
//   kappa(cbind(1, t, t^2), exact = TRUE)                          # 1.3e9
//   t <- 1000 + (0:49)/49; qr(cbind(1, t, t^2), tol = 1e-7)$rank   # 2
// With cond(X) ≈ 1e9, XᵀX (cond ≈ 1e18) could not tell these apart; the
// QR-based check agrees with R on both.
RowMatrixXd Polynomial(double offset) {
  RowMatrixXd x(50, 3);
  for (int i = 0; i < 50; ++i) {
    const double t = offset + i / 49.0;
    x.row(i) << 1.0, t, t * t;
  }
  return x;
}

TEST(DesignDiagnosticsTest, IllConditionedButFullRankIsNotAliased) {
  EXPECT_TRUE(FindAliasedColumns(Polynomial(100.0)).empty());
}

TEST(DesignDiagnosticsTest, NumericallyRankDeficientAsInR) {
  EXPECT_EQ(FindAliasedColumns(Polynomial(1000.0)), (std::vector<int>{2}));
}

TEST(DesignDiagnosticsTest, CompleteSeparationIsDetectedWithItsDirection) {
  // y = 1 exactly when x > 0; a fitted β far along (0, 1).
  RowMatrixXd x(20, 2);
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) {
    const double t = -1.9 + 0.2 * i;
    x.row(i) << 1.0, t;
    y[i] = t > 0 ? 1.0 : 0.0;
  }
  const SeparationCheck check =
      CheckSeparation(x, y, Eigen::Vector2d(0.3, 250.0));
  EXPECT_TRUE(check.separated);
  EXPECT_GT(check.num_fitted_at_bound, 10);
  EXPECT_EQ(DescribeDirection(check.direction, {"(Intercept)", "x"}),
            "1*x + 0.0012*(Intercept)");
}

TEST(DesignDiagnosticsTest, OverlappingClassesAreNotSeparated) {
  RowMatrixXd x(20, 2);
  Eigen::VectorXd y(20);
  for (int i = 0; i < 20; ++i) {
    const double t = -1.9 + 0.2 * i;
    x.row(i) << 1.0, t;
    y[i] = (i % 3 == 0) != (t > 0) ? 1.0 : 0.0;  // labels mixed on both sides
  }
  // Even a large β does not separate these data.
  const SeparationCheck check =
      CheckSeparation(x, y, Eigen::Vector2d(0.0, 250.0));
  EXPECT_FALSE(check.separated);
  EXPECT_GT(check.num_fitted_at_bound, 0);
  // And a moderate fit has no probabilities at the bounds at all.
  EXPECT_EQ(
      CheckSeparation(x, y, Eigen::Vector2d(0.1, 0.8)).num_fitted_at_bound, 0);
}

}  // namespace
}  // namespace fisheropt
