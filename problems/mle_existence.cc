#include "problems/mle_existence.h"

#include <coin/Clp_C_Interface.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace fisheropt {
namespace {

// How a row of X enters the LP.
enum class RowRole {
  kAtLeastZero,  // s_i x_iᵀd ≥ 0 (binary), as a row of sign-adjusted x_i
  kAtMostZero,   // x_iᵀd ≤ 0 (Poisson, y_i = 0)
  kZero,         // x_iᵀd = 0 (Poisson, y_i > 0; binary, 0 < y_i < 1)
};

struct ClpDeleter {
  void operator()(Clp_Simplex* model) const { Clp_deleteModel(model); }
};

// A positive optimum below this is Clp's rounding, not a separation: the
// rows are unit vectors and |d_j| ≤ 1, so a real separating direction has
// an objective of order the margin of its strictly separated rows.
constexpr double kObjectiveThreshold = 1e-6;
// The margin above which a row counts as strictly separated.
constexpr double kRowThreshold = 1e-7;

}  // namespace

bool CheckMleExistence(const RowMatrixXd& x, const Eigen::VectorXd& y,
                       GlmFamilyType family, MleExistence* result,
                       std::string* error) {
  *result = MleExistence();
  if (family == GlmFamilyType::kGaussianIdentity) return true;
  const bool binary = family != GlmFamilyType::kPoissonLog;
  const int n = static_cast<int>(x.rows());
  const int q = static_cast<int>(x.cols());

  // Rows as LP constraints, each scaled to unit norm (a positive scaling
  // changes no inequality); zero rows constrain nothing and are left out.
  std::vector<int> rows;
  std::vector<double> row_sign, row_lower, row_upper;
  Eigen::VectorXd objective = Eigen::VectorXd::Zero(q);
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  for (int i = 0; i < n; ++i) {
    const double norm = x.row(i).norm();
    if (!(norm > 0.0)) continue;
    RowRole role;
    double sign = 1.0 / norm;
    if (binary) {
      role =
          y[i] == 0.0 || y[i] == 1.0 ? RowRole::kAtLeastZero : RowRole::kZero;
      if (y[i] == 0.0) sign = -sign;
    } else {
      role = y[i] > 0.0 ? RowRole::kZero : RowRole::kAtMostZero;
      // Maximize Σ −x_iᵀd over the zero counts: store −x_i, ≥ 0.
      if (role == RowRole::kAtMostZero) sign = -sign;
    }
    rows.push_back(i);
    row_sign.push_back(sign);
    row_lower.push_back(0.0);
    row_upper.push_back(role == RowRole::kZero ? 0.0 : kInfinity);
    if (role != RowRole::kZero) objective += sign * x.row(i).transpose();
  }
  const int m = static_cast<int>(rows.size());
  if (m == 0 || objective.isZero(0.0)) return true;

  // The constraint matrix, column-major, dense.
  std::vector<CoinBigIndex> start(q + 1);
  std::vector<int> index(static_cast<size_t>(m) * q);
  std::vector<double> value(static_cast<size_t>(m) * q);
  for (int j = 0; j < q; ++j) {
    start[j] = static_cast<CoinBigIndex>(static_cast<size_t>(j) * m);
    for (int k = 0; k < m; ++k) {
      const size_t at = static_cast<size_t>(j) * m + k;
      index[at] = k;
      value[at] = row_sign[k] * x(rows[k], j);
    }
  }
  start[q] = static_cast<CoinBigIndex>(static_cast<size_t>(q) * m);
  const std::vector<double> lower(q, -1.0), upper(q, 1.0);

  std::unique_ptr<Clp_Simplex, ClpDeleter> model(Clp_newModel());
  Clp_setLogLevel(model.get(), 0);
  Clp_loadProblem(model.get(), q, m, start.data(), index.data(), value.data(),
                  lower.data(), upper.data(), objective.data(),
                  row_lower.data(), row_upper.data());
  Clp_setObjSense(model.get(), -1.0);  // maximize
  Clp_setPrimalTolerance(model.get(), 1e-10);
  Clp_setDualTolerance(model.get(), 1e-10);
  Clp_initialSolve(model.get());
  if (Clp_status(model.get()) != 0) {
    if (error != nullptr) {
      *error =
          "the linear program of the MLE existence check did not solve "
          "(Clp status " +
          std::to_string(Clp_status(model.get())) + ")";
    }
    return false;
  }
  if (!(Clp_objectiveValue(model.get()) > kObjectiveThreshold)) return true;

  const double* solution = Clp_getColSolution(model.get());
  Eigen::VectorXd direction = Eigen::Map<const Eigen::VectorXd>(solution, q);
  result->exists = false;
  result->direction = direction / direction.norm();
  for (int k = 0; k < m; ++k) {
    const double margin = row_sign[k] * x.row(rows[k]).dot(direction);
    if (row_upper[k] > 0.0 && margin > kRowThreshold) {
      ++result->num_separated_rows;
    }
  }
  return true;
}

}  // namespace fisheropt
