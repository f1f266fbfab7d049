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

// A predictor far from zero relative to its spread (a UTM northing around
// 5.1e6 m spread over 40 m) next to the intercept: its residual after the
// intercept is ~2e-6 of its norm, above R's 1e-7, so R keeps it.
RowMatrixXd UncentredDesign(int n, double offset, double spread) {
  RowMatrixXd x(n, 3);
  for (int i = 0; i < n; ++i) {
    x.row(i) << 1.0, offset + spread * std::sin(0.37 * i),
        std::cos(1.3 * i) * 1e-3;
  }
  return x;
}

TEST(DesignDiagnosticsTest, UncentredPredictorIsKept) {
  EXPECT_TRUE(FindAliasedColumns(UncentredDesign(300, 5.123e6, 20.0)).empty());
  // ... and one whose spread is below R's tolerance is aliased, as in R:
  //   qr(cbind(1, 5.123e6 + 0.2 * sin(0.37 * (0:299))), tol = 1e-7)$rank # 1
  EXPECT_EQ(FindAliasedColumns(UncentredDesign(300, 5.123e6, 0.2)),
            (std::vector<int>{1}));
}

TEST(DesignDiagnosticsTest, OrthonormalBasisSpansTheSameColumns) {
  const RowMatrixXd x = UncentredDesign(300, 5.123e6, 20.0);
  const DesignQr qr = AnalyzeDesign(x);
  ASSERT_EQ(qr.kept, (std::vector<int>{0, 1, 2}));
  RowMatrixXd q = x;
  OrthonormalizeDesign(qr, &q);
  // QᵀQ = I up to ε·κ(X) (Q = X R⁻¹ loses orthogonality in proportion to
  // X's condition number, here ≈ 1e6): the curvature QᵀWQ has κ ≈ 1, not
  // κ(X)² ≈ 1e12 as XᵀWX.
  EXPECT_LT((q.transpose() * q - Eigen::Matrix3d::Identity()).norm(), 1e-9);
  // Xβ = Qγ for β = S⁻¹R⁻¹γ: the same linear predictor.
  const Eigen::Vector3d gamma(0.3, -1.2, 2.5);
  const Eigen::VectorXd beta = CoefficientsInDesignBasis(qr, gamma);
  EXPECT_LT((x * beta - q * gamma).cwiseAbs().maxCoeff(), 1e-9);
}

TEST(DesignDiagnosticsTest, CovarianceMapsToTheInverseGramOfX) {
  // X = (1, t): (XᵀX)⁻¹ in closed form from the centred t, accurately:
  //   Var(slope) = 1/Sₜₜ, Var(intercept) = 1/n + t̄²/Sₜₜ, Cov = −t̄/Sₜₜ.
  // Cov(γ) = I (QᵀQ = I) must map to it although κ(XᵀX) ≈ 1e12.
  const int n = 300;
  RowMatrixXd x(n, 2);
  for (int i = 0; i < n; ++i) x.row(i) << 1.0, 5.123e6 + 0.125 * (i % 160);
  const double mean = x.col(1).mean();
  const double stt = (x.col(1).array() - mean).square().sum();
  const DesignQr qr = AnalyzeDesign(x);
  const Eigen::MatrixXd cov =
      qr.column_scale.cwiseInverse().asDiagonal() *
      ScaledCovarianceInDesignBasis(qr, Eigen::Matrix2d::Identity()) *
      qr.column_scale.cwiseInverse().asDiagonal();
  EXPECT_NEAR(cov(1, 1), 1.0 / stt, 1e-9 / stt);
  EXPECT_NEAR(cov(0, 0), 1.0 / n + mean * mean / stt,
              1e-9 * (mean * mean / stt));
  EXPECT_NEAR(cov(0, 1), -mean / stt, 1e-9 * mean / stt);
  EXPECT_EQ(cov(0, 1), cov(1, 0));
}

TEST(DesignDiagnosticsTest, ExtremeColumnScalesNeitherOverflowNorUnderflow) {
  RowMatrixXd x = DesignWithIntercept(200);
  x.col(1) *= 1e160;
  x.col(3) *= 1e-160;
  const DesignQr qr = AnalyzeDesign(x);
  EXPECT_TRUE(qr.aliased.empty());
  ASSERT_TRUE(qr.r.allFinite());
  RowMatrixXd q = x;
  OrthonormalizeDesign(qr, &q);
  EXPECT_LT((q.transpose() * q - Eigen::Matrix4d::Identity()).norm(), 1e-12);
}

TEST(DesignDiagnosticsTest, DirectionIsDescribedLargestFirst) {
  EXPECT_EQ(DescribeDirection(Eigen::Vector3d(0.6, -0.8, 1e-4),
                              {"(Intercept)", "x", "z"}),
            "-0.8*x + 0.6*(Intercept)");
}

}  // namespace
}  // namespace fisheropt
