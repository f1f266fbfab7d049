#include "optim/limited_memory_bfgs.h"

#include <vector>

namespace fisheropt {

bool LimitedMemoryBfgs::SetInitialCurvature(const Eigen::MatrixXd& curvature) {
  has_initial_ = false;
  if (!curvature.allFinite() || curvature.rows() != curvature.cols()) {
    return false;
  }
  // A diagonal C (CurvatureStructure::kDiagonal) needs no factorization.
  diagonal_ = curvature.isDiagonal(0.0);
  if (diagonal_) {
    diagonal_values_ = curvature.diagonal();
    if (!(diagonal_values_.minCoeff() > 0.0)) return false;
  } else {
    factor_.compute(curvature);
    if (factor_.info() != Eigen::Success) return false;
    // The same relative pivot floor as the Cholesky solves of the solver
    // (LinearSolverOptions::min_relative_pivot's default): a numerically
    // singular C is refused, not inverted.
    const Eigen::VectorXd pivots = factor_.matrixLLT().diagonal().cwiseAbs2();
    if (!(pivots.minCoeff() > 1e-14 * pivots.maxCoeff())) return false;
  }
  has_initial_ = true;
  return true;
}

bool LimitedMemoryBfgs::AddPair(const Eigen::VectorXd& s,
                                const Eigen::VectorXd& y) {
  const double sy = s.dot(y);
  if (!(sy > 1e-10 * s.norm() * y.norm())) return false;
  pairs_.push_back({s, y, 1.0 / sy});
  while (static_cast<int>(pairs_.size()) > memory_) pairs_.pop_front();
  return true;
}

Eigen::VectorXd LimitedMemoryBfgs::SolveInitial(
    const Eigen::VectorXd& v) const {
  if (diagonal_) return v.cwiseQuotient(diagonal_values_);
  return factor_.solve(v);
}

Eigen::VectorXd LimitedMemoryBfgs::Direction(
    const Eigen::VectorXd& gradient) const {
  const int m = num_pairs();
  std::vector<double> alpha(m);
  Eigen::VectorXd q = gradient;
  for (int i = m - 1; i >= 0; --i) {
    alpha[i] = pairs_[i].rho * pairs_[i].s.dot(q);
    q -= alpha[i] * pairs_[i].y;
  }
  double gamma = 1.0;
  if (m > 0) {
    const Pair& newest = pairs_.back();
    const double y_h0_y = newest.y.dot(SolveInitial(newest.y));
    if (y_h0_y > 0.0) gamma = newest.s.dot(newest.y) / y_h0_y;
  }
  Eigen::VectorXd r = gamma * SolveInitial(q);
  for (int i = 0; i < m; ++i) {
    const double beta = pairs_[i].rho * pairs_[i].y.dot(r);
    r += (alpha[i] - beta) * pairs_[i].s;
  }
  return -r;
}

}  // namespace fisheropt
