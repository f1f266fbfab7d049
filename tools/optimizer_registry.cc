#include "tools/optimizer_registry.h"

#include "optim/newton_solver.h"

namespace fisheropt {
namespace {

OptimizerSpec NewtonLike(const std::string& name,
                         const std::string& description,
                         CurvatureType curvature,
                         StepControlType step_control) {
  OptimizerSpec spec;
  spec.name = name;
  spec.description = description;
  spec.kind = OptimizerSpec::Kind::kNewtonLike;
  spec.solver.curvature.type = curvature;
  spec.solver.step_control = step_control;
  return spec;
}

OptimizerSpec Ceres(const std::string& description,
                    CeresLineSearchDirection direction) {
  OptimizerSpec spec;
  spec.name = ToString(direction);
  spec.description = description;
  spec.kind = OptimizerSpec::Kind::kCeresGradient;
  spec.ceres_direction = direction;
  return spec;
}

OptimizerSpec CeresTrustRegion(const std::string& description,
                               CeresTrustRegionStrategy strategy) {
  OptimizerSpec spec;
  spec.name = ToString(strategy);
  spec.description = description;
  spec.kind = OptimizerSpec::Kind::kCeresTrustRegion;
  spec.ceres_strategy = strategy;
  return spec;
}

std::vector<OptimizerSpec> MakeBuiltinOptimizers() {
  std::vector<OptimizerSpec> specs;
  specs.push_back(NewtonLike("newton", "Newton: Hessian + Armijo line search",
                             CurvatureType::kHessian,
                             StepControlType::kLineSearch));
  specs.push_back(NewtonLike(
      "fisher-scoring", "Fisher scoring: expected Fisher + Armijo line search",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch));
  specs.push_back(NewtonLike(
      "empirical-fisher", "empirical Fisher (Σ s sᵀ) + Armijo line search",
      CurvatureType::kEmpiricalFisher, StepControlType::kLineSearch));
  specs.push_back(NewtonLike(
      "monte-carlo-fisher",
      "Monte Carlo Fisher (1 sampled response per sample) + line search",
      CurvatureType::kMonteCarloFisher, StepControlType::kLineSearch));
  specs.push_back(
      NewtonLike("natural-gradient",
                 "natural gradient: expected Fisher, fixed learning rate 0.5",
                 CurvatureType::kExpectedFisher, StepControlType::kFixedStep));
  specs.push_back(NewtonLike(
      "natural-gradient-kl",
      "natural gradient: expected Fisher, KL trust region (delta0 = 1 nat)",
      CurvatureType::kExpectedFisher, StepControlType::kKlTrustRegion));
  specs.push_back(NewtonLike(
      "fisher-lm", "expected Fisher + Levenberg-Marquardt damping",
      CurvatureType::kExpectedFisher, StepControlType::kLevenbergMarquardt));
  OptimizerSpec wolfe = NewtonLike(
      "fisher-wolfe", "Fisher scoring: expected Fisher + strong Wolfe search",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  wolfe.solver.line_search.type = LineSearchType::kWolfe;
  specs.push_back(wolfe);
  OptimizerSpec reuse = NewtonLike(
      "fisher-reuse",
      "Fisher scoring reusing one Fisher matrix while it halves the gradient",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  reuse.solver.curvature_reuse.max_age = 1000;
  specs.push_back(reuse);
  OptimizerSpec subsampled = NewtonLike(
      "fisher-subsampled",
      "Fisher scoring on a new random subset of ~50 rows per parameter "
      "every iteration",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  subsampled.solver.curvature.subsample.rows_per_parameter = 50.0;
  specs.push_back(subsampled);
  OptimizerSpec bfgs = NewtonLike(
      "fisher-bfgs",
      "BFGS from a Fisher matrix on ~50 rows per parameter (at least 2N/p "
      "rows), recomputed when a step contracts the gradient less than 4x",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  bfgs.solver.curvature.subsample.rows_per_parameter = 50.0;
  bfgs.solver.curvature.subsample.min_flops_per_entry = 2.0;
  bfgs.solver.curvature_reuse.max_age = 1000;
  bfgs.solver.curvature_reuse.max_gradient_ratio = 0.25;
  bfgs.solver.curvature_reuse.secant_correction = SecantCorrection::kDenseBfgs;
  specs.push_back(bfgs);
  // L-BFGS with H₀ = γ C⁻¹ (SecantCorrection::kLimitedMemoryBfgs): C
  // fisher-bfgs' subset Fisher in float, or only the diagonal of one from ~4
  // rows per parameter; C recomputed only when the gradient grows.
  OptimizerSpec lbfgs = bfgs;
  lbfgs.name = "fisher-lbfgs";
  lbfgs.description =
      "L-BFGS (20 pairs) preconditioned by a float Fisher matrix on ~50 rows "
      "per parameter (at least 2N/p rows)";
  lbfgs.solver.curvature.precision = GramPrecision::kSingle;
  lbfgs.solver.curvature_reuse.max_gradient_ratio = 1.0;
  lbfgs.solver.curvature_reuse.secant_correction =
      SecantCorrection::kLimitedMemoryBfgs;
  lbfgs.solver.curvature_reuse.secant_memory = 20;
  specs.push_back(lbfgs);
  OptimizerSpec lbfgs_diagonal = lbfgs;
  lbfgs_diagonal.name = "fisher-lbfgs-diag";
  lbfgs_diagonal.description =
      "L-BFGS (20 pairs) scaled by the diagonal of a Fisher matrix on ~4 rows "
      "per parameter";
  lbfgs_diagonal.solver.curvature.structure = CurvatureStructure::kDiagonal;
  lbfgs_diagonal.solver.curvature.subsample.rows_per_parameter = 4.0;
  lbfgs_diagonal.solver.curvature.subsample.min_flops_per_entry = 0.0;
  specs.push_back(lbfgs_diagonal);
  OptimizerSpec single = NewtonLike(
      "fisher-single",
      "Fisher scoring with the Fisher matrix accumulated in single precision",
      CurvatureType::kExpectedFisher, StepControlType::kLineSearch);
  single.solver.curvature.precision = GramPrecision::kSingle;
  specs.push_back(single);
  OptimizerSpec truncated = NewtonLike(
      "truncated-newton",
      "Newton-CG: Hessian products + preconditioned CG + Armijo search",
      CurvatureType::kHessian, StepControlType::kLineSearch);
  truncated.solver.linear_solver.type = LinearSolverType::kConjugateGradient;
  specs.push_back(truncated);
  specs.push_back(Ceres("Ceres GradientProblemSolver, L-BFGS (Wolfe)",
                        CeresLineSearchDirection::kLbfgs));
  specs.push_back(Ceres("Ceres GradientProblemSolver, BFGS (Wolfe)",
                        CeresLineSearchDirection::kBfgs));
  specs.push_back(CeresTrustRegion(
      "Ceres Solve, Levenberg-Marquardt on the residual form (DENSE_QR)",
      CeresTrustRegionStrategy::kLevenbergMarquardt));
  specs.push_back(
      CeresTrustRegion("Ceres Solve, dogleg on the residual form (DENSE_QR)",
                       CeresTrustRegionStrategy::kDogleg));
  return specs;
}

}  // namespace

const std::vector<OptimizerSpec>& BuiltinOptimizers() {
  static const std::vector<OptimizerSpec> specs = MakeBuiltinOptimizers();
  return specs;
}

std::vector<std::string> BuiltinOptimizerNames() {
  std::vector<std::string> names;
  for (const OptimizerSpec& spec : BuiltinOptimizers()) {
    names.push_back(spec.name);
  }
  return names;
}

bool FindOptimizer(const std::string& name, OptimizerSpec* spec,
                   std::string* error) {
  for (const OptimizerSpec& candidate : BuiltinOptimizers()) {
    if (candidate.name == name) {
      *spec = candidate;
      return true;
    }
  }
  if (error != nullptr) {
    *error = "unknown optimizer '" + name + "'; known optimizers:";
    for (const std::string& known : BuiltinOptimizerNames()) {
      *error += " " + known;
    }
  }
  return false;
}

void RunOptimizer(const OptimizerSpec& spec, const StoppingOptions& stopping,
                  const LikelihoodModel& model, Eigen::VectorXd* theta,
                  SolverSummary* summary) {
  switch (spec.kind) {
    case OptimizerSpec::Kind::kNewtonLike: {
      SolverOptions options = spec.solver;
      options.stopping = stopping;
      Solve(options, model, theta, summary);
      summary->solver = spec.name;
      return;
    }
    case OptimizerSpec::Kind::kCeresGradient: {
      CeresGradientSolverOptions options;
      options.direction = spec.ceres_direction;
      options.stopping = stopping;
      SolveWithCeres(options, model, theta, summary);
      return;
    }
    case OptimizerSpec::Kind::kCeresTrustRegion: {
      const std::unique_ptr<ResidualForm> residuals =
          model.CreateResidualForm();
      if (residuals == nullptr) {
        *summary = SolverSummary();
        summary->solver = spec.name;
        summary->curvature = "gauss_newton";
        summary->step_control =
            spec.ceres_strategy == CeresTrustRegionStrategy::kLevenbergMarquardt
                ? "levenberg_marquardt"
                : "dogleg";
        summary->message =
            "model '" + model.Name() + "' has no least-squares residual form";
        return;
      }
      CeresTrustRegionSolverOptions options;
      options.strategy = spec.ceres_strategy;
      options.stopping = stopping;
      SolveWithCeresTrustRegion(options, *residuals, theta, summary);
      return;
    }
  }
}

}  // namespace fisheropt
