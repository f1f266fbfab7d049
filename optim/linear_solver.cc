#include "optim/linear_solver.h"

#include <Eigen/Cholesky>

namespace fisheropt {

bool SolveShiftedCholesky(const Eigen::MatrixXd& curvature,
                          const Eigen::VectorXd& scaling, double shift,
                          const Eigen::VectorXd& rhs,
                          double min_relative_pivot,
                          Eigen::VectorXd* solution) {
  Eigen::MatrixXd shifted = curvature;
  if (shift != 0.0) {
    if (scaling.size() == 0) {
      shifted.diagonal().array() += shift;
    } else {
      shifted.diagonal() += shift * scaling;
    }
  }
  const Eigen::LLT<Eigen::MatrixXd, Eigen::Lower> cholesky(shifted);
  if (cholesky.info() != Eigen::Success) return false;
  const Eigen::VectorXd pivots =
      cholesky.matrixLLT().diagonal().cwiseAbs2();
  if (!(pivots.minCoeff() > min_relative_pivot * pivots.maxCoeff())) {
    return false;
  }
  *solution = cholesky.solve(rhs);
  return solution->allFinite();
}

bool ComputeNewtonDirection(const Eigen::MatrixXd& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result) {
  const double scale = curvature.diagonal().cwiseAbs().maxCoeff();
  // A zero curvature still gets a finite shift (gradient descent).
  const double first_shift =
      options.initial_shift_ratio * (scale > 0.0 ? scale : 1.0);
  const Eigen::VectorXd identity;
  result->num_factorizations = 0;
  double shift = 0.0;
  for (int attempt = 0; attempt <= options.max_shift_retries + 1; ++attempt) {
    ++result->num_factorizations;
    if (SolveShiftedCholesky(curvature, identity, shift, -gradient,
                             options.min_relative_pivot,
                             &result->direction) &&
        (gradient.dot(result->direction) < 0.0 || gradient.isZero(0.0))) {
      result->shift = shift;
      return true;
    }
    shift = attempt == 0 ? first_shift : shift * options.shift_growth;
  }
  return false;
}

}  // namespace fisheropt
