#ifndef FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_
#define FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "linalg/types.h"

namespace fisheropt {

// Checks of a design matrix and a binary response that a fit must make
// before (aliasing) and after (separation) it optimizes.

// Columns of X that are (numerically) linear combinations of the columns
// before them, as R's lm/glm find them: a Householder QR with column pivoting
// limited to the original column order's precedence is what R uses (dqrdc2);
// here: Gram–Schmidt in column order on Xᵀ X's Cholesky, a column is aliased
// when its residual norm is below `tolerance` times its own norm (R's
// default tol = 1e-7). The first of two identical columns is kept, so
// "(Intercept)" survives a constant predictor. Returns the indices, ascending.
std::vector<int> FindAliasedColumns(const RowMatrixXd& x,
                                    double tolerance = 1e-7);

// Separation in binary regression: a direction d with x_iᵀd ≥ 0 for every
// y_i = 1 and x_iᵀd ≤ 0 for every y_i = 0 (strictly for at least one), along
// which the likelihood increases without bound, so the MLE does not exist.
// Tested for the direction of a fitted β (the solver drives ‖β‖ up along d):
// the margins y-signed x_iᵀd / ‖x_i‖ must all be ≥ −slack. Reports the
// number of samples whose fitted probability is within 1e-8 of 0 or 1.
struct SeparationCheck {
  bool separated = false;
  int num_fitted_at_bound = 0;  // samples with μ within 1e-8 of 0 or 1
  Eigen::VectorXd direction;    // β / ‖β‖ when separated
};
SeparationCheck CheckSeparation(const RowMatrixXd& x, const Eigen::VectorXd& y,
                                const Eigen::VectorXd& beta);

// "separation: the data are (quasi-)completely separated along
//  0.71*x1 - 0.71*x2 ...": a readable direction, largest components first.
std::string DescribeDirection(const Eigen::VectorXd& direction,
                              const std::vector<std::string>& names);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_DESIGN_DIAGNOSTICS_H_
