#ifndef FISHEROPT_OPTIM_LINEAR_SOLVER_H_
#define FISHEROPT_OPTIM_LINEAR_SOLVER_H_

#include <Eigen/Core>

#include "optim/solver_options.h"

namespace fisheropt {

// Solves (C + shift · diag(scaling)) x = rhs by Cholesky. Returns false when
// the shifted matrix is not numerically positive definite: the factorization
// fails, or its smallest pivot² is below min_relative_pivot times the largest.
// `scaling` empty means the identity.
bool SolveShiftedCholesky(const Eigen::MatrixXd& curvature,
                          const Eigen::VectorXd& scaling, double shift,
                          const Eigen::VectorXd& rhs,
                          double min_relative_pivot, Eigen::VectorXd* solution);

// The Newton-like direction d = −(C + τI)⁻¹ g, with τ = 0 when C is positive
// definite, and otherwise the smallest τ of the geometric sequence of
// LinearSolverOptions that makes it so; d is then a descent direction
// (gᵀd < 0 unless g = 0). Returns false when no shift within the retry budget
// works (e.g. C has non-finite entries).
struct NewtonDirection {
  Eigen::VectorXd direction;
  double shift = 0.0;
  int num_factorizations = 0;
};
bool ComputeNewtonDirection(const Eigen::MatrixXd& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LINEAR_SOLVER_H_
