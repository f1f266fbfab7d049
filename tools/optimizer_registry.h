#ifndef FISHEROPT_TOOLS_OPTIMIZER_REGISTRY_H_
#define FISHEROPT_TOOLS_OPTIMIZER_REGISTRY_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "optim/baselines/ceres_gradient_solver.h"
#include "optim/baselines/ceres_trust_region_solver.h"
#include "optim/solver_options.h"
#include "optim/solver_summary.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// A named optimizer of the command line: either our Newton-like solver with a
// curvature and a step control, or a Ceres baseline.
struct OptimizerSpec {
  enum class Kind { kNewtonLike, kCeresGradient, kCeresTrustRegion };

  std::string name;         // e.g. "fisher-scoring"
  std::string description;  // one line for --help
  Kind kind = Kind::kNewtonLike;
  SolverOptions solver;  // kNewtonLike: curvature, step control
  CeresLineSearchDirection ceres_direction = CeresLineSearchDirection::kLbfgs;
  // kCeresTrustRegion: on the model's residual form (nonlinear regression;
  // GLMs through r = √(2·nll) or deviance residuals).
  CeresTrustRegionStrategy ceres_strategy =
      CeresTrustRegionStrategy::kLevenbergMarquardt;
};

// Every optimizer the tool knows, in the order `compare` runs them:
// newton, fisher-scoring, empirical-fisher, monte-carlo-fisher,
// natural-gradient, natural-gradient-kl, fisher-lm, fisher-wolfe,
// fisher-reuse, fisher-subsampled, fisher-single, truncated-newton,
// ceres-lbfgs, ceres-bfgs, ceres-lm, ceres-dogleg.
const std::vector<OptimizerSpec>& BuiltinOptimizers();

// The names of BuiltinOptimizers(), in order.
std::vector<std::string> BuiltinOptimizerNames();

// Finds an optimizer by name; false with a message listing the names.
bool FindOptimizer(const std::string& name, OptimizerSpec* spec,
                   std::string* error);

// Runs `spec` on `model` from *theta with the given stopping rules. A Ceres
// trust-region baseline on a model without a residual form leaves the
// summary without iterations and says so in its message ("not available").
void RunOptimizer(const OptimizerSpec& spec, const StoppingOptions& stopping,
                  const LikelihoodModel& model, Eigen::VectorXd* theta,
                  SolverSummary* summary);

}  // namespace fisheropt

#endif  // FISHEROPT_TOOLS_OPTIMIZER_REGISTRY_H_
