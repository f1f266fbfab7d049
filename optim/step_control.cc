#include "optim/step_control.h"

#include "optim/fixed_step.h"
#include "optim/kl_trust_region.h"
#include "optim/levenberg_marquardt.h"
#include "optim/line_search.h"
#include "optim/wall_timer.h"

namespace fisheropt {

bool ComputeStepDirection(const SolverPoint& current,
                          const CurvatureOperator& curvature,
                          const LinearSolverOptions& options,
                          NewtonDirection* newton, StepResult* result,
                          std::string* message) {
  const WallTimer solve_timer;
  const bool solved =
      ComputeNewtonDirection(curvature, current.gradient, options, newton);
  result->linear_solver_time_in_seconds = solve_timer.Seconds();
  result->num_factorizations = newton->num_factorizations;
  result->num_cg_iterations = newton->num_cg_iterations;
  if (!solved) {
    *message = curvature.is_dense()
                   ? "the curvature could not be made positive definite by "
                     "any shift in the retry budget"
                   : "conjugate gradient met a non-finite curvature product";
  }
  return solved;
}

std::unique_ptr<StepControl> CreateStepControl(const SolverOptions& options) {
  switch (options.step_control) {
    case StepControlType::kLineSearch:
      return std::make_unique<LineSearchStep>(options.line_search,
                                              options.linear_solver);
    case StepControlType::kLevenbergMarquardt:
      return std::make_unique<LevenbergMarquardtStep>(options.damping,
                                                      options.linear_solver);
    case StepControlType::kFixedStep:
      return std::make_unique<FixedStep>(options.fixed_step,
                                         options.linear_solver);
    case StepControlType::kKlTrustRegion:
      return std::make_unique<KlTrustRegionStep>(options.kl_trust_region,
                                                 options.linear_solver);
  }
  return nullptr;
}

}  // namespace fisheropt
