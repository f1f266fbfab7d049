#ifndef FISHEROPT_OPTIM_BASELINES_CERES_GRADIENT_SOLVER_H_
#define FISHEROPT_OPTIM_BASELINES_CERES_GRADIENT_SOLVER_H_

#include <Eigen/Core>
#include <string>

#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/objective.h"

namespace fisheropt {

// Ceres' quasi-Newton directions for ceres::GradientProblemSolver.
enum class CeresLineSearchDirection {
  kLbfgs,  // limited-memory BFGS (rank max_lbfgs_rank)
  kBfgs,   // dense BFGS
};

// "ceres-lbfgs", "ceres-bfgs".
std::string ToString(CeresLineSearchDirection direction);

struct CeresGradientSolverOptions {
  CeresLineSearchDirection direction = CeresLineSearchDirection::kLbfgs;
  // Ceres' default L-BFGS memory.
  int max_lbfgs_rank = 20;
  // Ceres' use_approximate_eigenvalue_bfgs_scaling: the initial inverse
  // Hessian of each (L-)BFGS step is γI with γ = yᵀs / yᵀy (Oren's scaling)
  // instead of I. Off by default, as in Ceres; on a summed NLL, whose
  // curvature grows with N, H₀ = I misjudges every step's length by a factor
  // of order N and the Wolfe search pays for it, so the benchmark runs both.
  bool approximate_eigenvalue_scaling = false;
  // The same rules as our solver (Ceres defines them; we copy Ceres), so a
  // comparison hands one StoppingOptions to both.
  StoppingOptions stopping;

  bool IsValid(std::string* error) const;
};

// Minimizes any Objective with ceres::GradientProblemSolver (strong Wolfe
// line search, Ceres defaults otherwise), on the same summed-NLL scale: a
// GradientProblem's cost is the objective value itself, no ½ factor. The
// result is reported as our SolverSummary (iterations, evaluation counts and
// Ceres' own timings) so that tables line up with the Newton-like solver.
void SolveWithCeres(const CeresGradientSolverOptions& options,
                    const Objective& objective, Eigen::VectorXd* theta,
                    SolverSummary* summary);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_BASELINES_CERES_GRADIENT_SOLVER_H_
