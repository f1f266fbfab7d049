#include "problems/design_diagnostics.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "linalg/parallel_chunks.h"
#include "linalg/weighted_gram.h"

namespace fisheropt {

Eigen::VectorXd LargestColumnMagnitudes(const RowMatrixXd& x) {
  Eigen::VectorXd largest = Eigen::VectorXd::Zero(x.cols());
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    largest = largest.cwiseMax(x.row(i).transpose().cwiseAbs());
  }
  return largest;
}

// A power of two near the largest magnitude of each column (1 for a zero
// column), so that scaling by it is exact.
Eigen::VectorXd PowerOfTwoScales(const Eigen::VectorXd& largest) {
  Eigen::VectorXd scale(largest.size());
  for (Eigen::Index j = 0; j < largest.size(); ++j) {
    int exponent = 0;
    std::frexp(largest[j], &exponent);
    scale[j] = largest[j] > 0.0 && std::isfinite(largest[j])
                   ? std::ldexp(1.0, exponent)
                   : 1.0;
  }
  return scale;
}

// R of the QR decomposition of X S⁻¹, accumulated over row chunks (TSQR).
Eigen::MatrixXd ScaledTriangularFactor(const RowMatrixXd& x,
                                       const Eigen::VectorXd& scale) {
  const Eigen::VectorXd inverse_scale = scale.cwiseInverse();
  const Eigen::Index p = x.cols();
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(p, p);
  Eigen::MatrixXd stacked;
  for (Eigen::Index begin = 0; begin < x.rows(); begin += kRowsPerChunk) {
    const Eigen::Index count =
        std::min<Eigen::Index>(kRowsPerChunk, x.rows() - begin);
    stacked.resize(p + count, p);
    stacked.topRows(p) = r;
    stacked.bottomRows(count) =
        x.middleRows(begin, count) * inverse_scale.asDiagonal();
    Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(stacked);
    r = stacked.topRows(p).triangularView<Eigen::Upper>();
  }
  return r;
}

namespace {

// The R factor of a small matrix, with a non-negative diagonal.
Eigen::MatrixXd UpperFactor(const Eigen::MatrixXd& a) {
  Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  const Eigen::Index q = a.cols();
  Eigen::MatrixXd r = qr.matrixQR().topRows(q).triangularView<Eigen::Upper>();
  for (Eigen::Index k = 0; k < q; ++k) {
    if (r(k, k) < 0.0) r.row(k) *= -1.0;
  }
  return r;
}

}  // namespace

DesignQr AnalyzeDesign(const RowMatrixXd& x, double tolerance) {
  const Eigen::VectorXd scale = PowerOfTwoScales(LargestColumnMagnitudes(x));
  return AnalyzeTriangularFactor(ScaledTriangularFactor(x, scale), scale,
                                 tolerance);
}

DesignQr AnalyzeTriangularFactor(const Eigen::MatrixXd& r,
                                 const Eigen::VectorXd& scale,
                                 double tolerance) {
  DesignQr design;
  const Eigen::Index p = r.cols();
  // Gram–Schmidt in column order on R's columns, twice for stability; a
  // column whose residual is below tolerance × its norm is aliased and left
  // out of the basis (R's dqrdc2 moves it to the end likewise).
  Eigen::MatrixXd basis(p, p);
  Eigen::Index rank = 0;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double norm = r.col(j).norm();
    Eigen::VectorXd residual = r.col(j);
    for (int pass = 0; pass < 2; ++pass) {
      residual -=
          basis.leftCols(rank) * (basis.leftCols(rank).transpose() * residual);
    }
    const double residual_norm = residual.norm();
    if (norm == 0.0 || residual_norm < tolerance * norm) {
      design.aliased.push_back(static_cast<int>(j));
    } else {
      basis.col(rank++) = residual / residual_norm;
      design.kept.push_back(static_cast<int>(j));
    }
  }
  const Eigen::Index q = rank;
  design.column_scale.resize(q);
  Eigen::MatrixXd kept_columns(p, q);
  for (Eigen::Index k = 0; k < q; ++k) {
    design.column_scale[k] = scale[design.kept[k]];
    kept_columns.col(k) = r.col(design.kept[k]);
  }
  // R of the kept columns: the QR of R's kept columns (RᵀR = XᵀX).
  design.r = q > 0 ? UpperFactor(kept_columns) : Eigen::MatrixXd(0, 0);
  return design;
}

std::vector<int> FindAliasedColumns(const RowMatrixXd& x, double tolerance) {
  return AnalyzeDesign(x, tolerance).aliased;
}

void OrthonormalizeDesign(const DesignQr& qr, RowMatrixXd* x) {
  const Eigen::VectorXd inverse_scale = qr.column_scale.cwiseInverse();
  const Eigen::Index n = x->rows();
  const Eigen::Index num_chunks = (n + kRowsPerChunk - 1) / kRowsPerChunk;
  // Chunks are fixed by the data and independent, so the result does not
  // depend on the thread count. Q_c = X_c S⁻¹ R⁻¹: a triangular solve on the
  // right, in place.
#pragma omp parallel for schedule(static) if (num_chunks >= \
                                              kMinChunksForThreads)
  for (Eigen::Index c = 0; c < num_chunks; ++c) {
    const Eigen::Index begin = c * kRowsPerChunk;
    auto chunk =
        x->middleRows(begin, std::min<Eigen::Index>(kRowsPerChunk, n - begin));
    chunk = chunk * inverse_scale.asDiagonal();
    qr.r.triangularView<Eigen::Upper>().solveInPlace<Eigen::OnTheRight>(chunk);
  }
}

Eigen::VectorXd CoefficientsInDesignBasis(const DesignQr& qr,
                                          const Eigen::VectorXd& gamma) {
  Eigen::VectorXd beta = qr.r.triangularView<Eigen::Upper>().solve(gamma);
  return beta.cwiseQuotient(qr.column_scale);
}

Eigen::MatrixXd ScaledCovarianceInDesignBasis(
    const DesignQr& qr, const Eigen::MatrixXd& covariance) {
  const auto r = qr.r.triangularView<Eigen::Upper>();
  // R⁻¹ C R⁻ᵀ = R⁻¹ (R⁻¹ C)ᵀ for symmetric C: two triangular solves.
  const Eigen::MatrixXd half = r.solve(covariance);
  const Eigen::MatrixXd result = r.solve(Eigen::MatrixXd(half.transpose()));
  return 0.5 * (result + result.transpose());
}

std::string DescribeDirection(const Eigen::VectorXd& direction,
                              const std::vector<std::string>& names) {
  std::vector<int> order(direction.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](int a, int b) {
    return std::abs(direction[a]) > std::abs(direction[b]);
  });
  std::string text;
  for (int j : order) {
    if (std::abs(direction[j]) < 1e-3) break;
    char term[64];
    std::snprintf(term, sizeof(term), "%s%.3g*", text.empty() ? "" : " + ",
                  direction[j]);
    text += term;
    text +=
        j < static_cast<int>(names.size()) ? names[j] : "x" + std::to_string(j);
  }
  return text;
}

}  // namespace fisheropt
