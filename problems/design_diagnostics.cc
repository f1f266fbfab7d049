#include "problems/design_diagnostics.h"

#include <Eigen/QR>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "linalg/weighted_gram.h"
#include "problems/glm_family.h"

namespace fisheropt {
namespace {

// The R factor of X's QR decomposition, accumulated over row chunks
// (TSQR: R ← R of [R; X_chunk]) so that no N × p copy of X is made. RᵀR = XᵀX
// with the backward stability of Householder QR, so column geometry (norms,
// angles, residuals after projection) can be read from R's p columns
// without squaring X's condition number as XᵀX would.
Eigen::MatrixXd TriangularFactor(const RowMatrixXd& x) {
  const Eigen::Index p = x.cols();
  Eigen::MatrixXd r = Eigen::MatrixXd::Zero(p, p);
  Eigen::MatrixXd stacked;
  for (Eigen::Index begin = 0; begin < x.rows(); begin += kRowsPerChunk) {
    const Eigen::Index count =
        std::min<Eigen::Index>(kRowsPerChunk, x.rows() - begin);
    stacked.resize(p + count, p);
    stacked.topRows(p) = r;
    stacked.bottomRows(count) = x.middleRows(begin, count);
    Eigen::HouseholderQR<Eigen::Ref<Eigen::MatrixXd>> qr(stacked);
    r = stacked.topRows(p).triangularView<Eigen::Upper>();
  }
  return r;
}

}  // namespace

std::vector<int> FindAliasedColumns(const RowMatrixXd& x, double tolerance) {
  const Eigen::MatrixXd r = TriangularFactor(x);
  const Eigen::Index p = r.cols();
  // Gram–Schmidt in column order on R's columns, twice for stability; a
  // column whose residual is below tolerance × its norm is aliased and left
  // out of the basis (R's dqrdc2 moves it to the end likewise).
  Eigen::MatrixXd basis(p, p);
  Eigen::Index rank = 0;
  std::vector<int> aliased;
  for (Eigen::Index j = 0; j < p; ++j) {
    const double norm = r.col(j).norm();
    Eigen::VectorXd residual = r.col(j);
    for (int pass = 0; pass < 2; ++pass) {
      residual -=
          basis.leftCols(rank) * (basis.leftCols(rank).transpose() * residual);
    }
    const double residual_norm = residual.norm();
    if (norm == 0.0 || residual_norm < tolerance * norm) {
      aliased.push_back(static_cast<int>(j));
    } else {
      basis.col(rank++) = residual / residual_norm;
    }
  }
  return aliased;
}

SeparationCheck CheckSeparation(const RowMatrixXd& x, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& beta) {
  SeparationCheck check;
  const Eigen::VectorXd eta = x * beta;
  constexpr double kBound = 1e-8;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    const double mu = Sigmoid(eta[i]);
    if (mu < kBound || mu > 1.0 - kBound) ++check.num_fitted_at_bound;
  }
  const double beta_norm = beta.norm();
  if (check.num_fitted_at_bound == 0 || beta_norm == 0.0) return check;
  // Along the direction of a diverging β every sample's signed margin
  // (2y − 1) x_iᵀd / ‖x_i‖ is ≥ 0 up to the finite part of β; the slack
  // allows for that part (β = β₀ + t d with t ≫ ‖β₀‖ once μ hits 1e-8).
  constexpr double kSlack = 1e-2;
  const Eigen::VectorXd direction = beta / beta_norm;
  const Eigen::VectorXd margins = x * direction;
  for (Eigen::Index i = 0; i < margins.size(); ++i) {
    const double row_norm = x.row(i).norm();
    if (row_norm == 0.0) continue;
    const double signed_margin =
        (y[i] > 0.5 ? 1.0 : -1.0) * margins[i] / row_norm;
    if (signed_margin < -kSlack) return check;
  }
  check.separated = true;
  check.direction = direction;
  return check;
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
