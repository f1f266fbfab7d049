#ifndef FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_
#define FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "linalg/types.h"

namespace fisheropt {

// The checks of a design matrix that a fit makes before it optimizes
// (aliasing), and the basis it optimizes in. Whether the MLE exists is
// problems/mle_existence.h.

// The column geometry of a design matrix X (N × p), read from the R factor
// of its QR decomposition. R is accumulated over row chunks (TSQR:
// R ← R of [R; X_chunk]) from X with its columns scaled by powers of two
// (exact), so no N × p copy is made, a column of 1e160s or 1e-160s neither
// overflows nor underflows, and XᵀX's squared condition number is never
// formed.
struct DesignQr {
  // Columns that are (numerically) linear combinations of the columns
  // before them, ascending: R's lm rule (dqrdc2 with tol = 1e-7, and the
  // pivoting limited to moving such a column to the end). A column is
  // aliased when the part of it that the earlier kept columns do not
  // explain is below `tolerance` times its norm. The measure is invariant to
  // the scale of each column, and a column far from zero relative to its
  // spread (UTM northings, unix timestamps) next to an intercept is kept as
  // long as its spread is above tolerance × its magnitude, as in R. The
  // first of two identical columns is kept, so "(Intercept)" survives a
  // constant predictor.
  std::vector<int> aliased;
  // The kept columns, ascending (the complement of `aliased`).
  std::vector<int> kept;
  // Powers of two s_j that scale the kept columns to max |x_ij| ∈ [0.5, 1).
  Eigen::VectorXd column_scale;
  // Upper-triangular q × q R factor of the kept columns scaled by 1/s_j,
  // with a positive diagonal: X_kept S⁻¹ = Q R.
  Eigen::MatrixXd r;
};
DesignQr AnalyzeDesign(const RowMatrixXd& x, double tolerance = 1e-7);

// AnalyzeDesign in its steps, for an X held in parts by the processes of a
// data-parallel fit (stats/glm_fit.cc): S from the largest |x_ij| of each
// column over all parts, each part's R factor of X_part S⁻¹, the R factor of
// the parts' R factors stacked in row order (= X S⁻¹'s, up to signs), and
// the decision on that R. AnalyzeDesign(x) is
// AnalyzeTriangularFactor(ScaledTriangularFactor(x, S), S) with
// S = PowerOfTwoScales(LargestColumnMagnitudes(x)).
Eigen::VectorXd LargestColumnMagnitudes(const RowMatrixXd& x);
Eigen::VectorXd PowerOfTwoScales(const Eigen::VectorXd& largest);
Eigen::MatrixXd ScaledTriangularFactor(const RowMatrixXd& x,
                                       const Eigen::VectorXd& scale);
DesignQr AnalyzeTriangularFactor(const Eigen::MatrixXd& r,
                                 const Eigen::VectorXd& scale,
                                 double tolerance = 1e-7);

// The aliased columns of AnalyzeDesign (kept for callers that need only
// them).
std::vector<int> FindAliasedColumns(const RowMatrixXd& x,
                                    double tolerance = 1e-7);

// Replaces the kept columns of X (N × q, the aliased ones already removed)
// by Q = X S⁻¹ R⁻¹, in place, chunk by chunk: an orthonormal basis of the same
// column space. A GLM fitted on Q has the same linear predictor η = Qγ = Xβ
// with β = S⁻¹R⁻¹γ, and a curvature QᵀWQ whose condition number does not
// carry X's (R's glm solves its least squares with a QR of √W X for the
// same reason). Chunks of rows are independent, so the result does not
// depend on the thread count.
void OrthonormalizeDesign(const DesignQr& qr, RowMatrixXd* x);

// Maps estimates and covariances of the orthonormal basis back to X's
// columns: β = S⁻¹R⁻¹γ and Cov(β) = S⁻¹R⁻¹ Cov(γ) R⁻ᵀS⁻¹, by triangular
// solves (every model-based and sandwich covariance transforms so under a
// linear reparametrization).
Eigen::VectorXd CoefficientsInDesignBasis(const DesignQr& qr,
                                          const Eigen::VectorXd& gamma);
// The covariance comes without the column scales S (the covariance of
// Sβ = R⁻¹γ), for ComputeInferenceFromCovariance's parameter_scale =
// qr.column_scale: a column of 1e160s has a variance below the double range
// but a representable standard error.
Eigen::MatrixXd ScaledCovarianceInDesignBasis(
    const DesignQr& qr, const Eigen::MatrixXd& covariance);

// "0.71*x1 + -0.71*x2": a readable direction, largest components first,
// components below 1e-3 left out (for the MLE existence warnings).
std::string DescribeDirection(const Eigen::VectorXd& direction,
                              const std::vector<std::string>& names);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_
