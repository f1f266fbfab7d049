#ifndef FISHEROPT_OPTIM_BASELINES_CERES_TRUST_REGION_SOLVER_H_
#define FISHEROPT_OPTIM_BASELINES_CERES_TRUST_REGION_SOLVER_H_

#include <Eigen/Core>
#include <string>

#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/residual_form.h"

namespace fisheropt {

// Ceres' trust-region strategies for least-squares problems.
enum class CeresTrustRegionStrategy {
  kLevenbergMarquardt,  // ceres::LEVENBERG_MARQUARDT
  kDogleg,              // ceres::DOGLEG (traditional dogleg)
};

// "ceres-lm", "ceres-dogleg".
std::string ToString(CeresTrustRegionStrategy strategy);

struct CeresTrustRegionSolverOptions {
  CeresTrustRegionStrategy strategy =
      CeresTrustRegionStrategy::kLevenbergMarquardt;
  // Ceres' default initial radius (its examples/nist.cc uses the same).
  double initial_trust_region_radius = 1e4;
  // The same rules as our solver: Ceres' Solver::Options function, gradient
  // and parameter tolerances, iteration and time limits, one for one.
  StoppingOptions stopping;

  bool IsValid(std::string* error) const;
};

// Minimizes ½ Σ r_i(θ)² with ceres::Solve (trust region, DENSE_QR as in
// Ceres' NIST example, Ceres' defaults otherwise). The residuals and their
// Jacobian come from the ResidualForm (for NonlinearRegressionModel its
// Jet Jacobian), wrapped in one ceres::CostFunction.
//
// Scale: Ceres' cost ½Σr² is our L minus ResidualForm::CostOffset() (0 for
// NonlinearRegressionModel and the Bernoulli GLMs, the saturated model's
// NLL for the Poisson and Gaussian GLMs' deviance residuals); the summary's
// costs have the offset added back, so they are on the summed-NLL scale. The
// summary keeps iteration 0 and the successful steps only (Ceres also records
// rejected trial steps), so num_iterations() counts accepted steps like our
// solver; damping is Ceres' μ = 1/radius for LM and trust_region_radius the
// dogleg radius. Evaluation counts: residual evaluations → cost evaluations,
// Jacobian evaluations → gradient evaluations (and curvature evaluations: JᵀJ
// is formed from the Jacobian).
void SolveWithCeresTrustRegion(const CeresTrustRegionSolverOptions& options,
                               const ResidualForm& problem,
                               Eigen::VectorXd* theta, SolverSummary* summary);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_BASELINES_CERES_TRUST_REGION_SOLVER_H_
