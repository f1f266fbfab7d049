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

std::unique_ptr<StepControl> CreateStepControl(const SolverOptions& options,
                                               bool matrix_free) {
  const DampingOptions& damping = options.damping;
  const KlTrustRegionOptions& kl = options.kl_trust_region;
  switch (options.step_control) {
    case StepControlType::kLineSearch:
      return std::make_unique<LineSearchStep>(options.line_search,
                                              options.linear_solver);
    case StepControlType::kLevenbergMarquardt:
      return std::make_unique<TrustRegionStep>(
          options.step_control,
          matrix_free ? std::unique_ptr<TrustRegionStrategy>(
                            std::make_unique<SteihaugStrategy>(
                                damping, options.linear_solver))
                      : std::make_unique<LevenbergMarquardtStrategy>(
                            damping, options.linear_solver),
          damping.min_gain_ratio, damping.max_consecutive_rejections);
    case StepControlType::kFixedStep:
      return std::make_unique<FixedStep>(options.fixed_step,
                                         options.linear_solver);
    case StepControlType::kKlTrustRegion:
      return std::make_unique<TrustRegionStep>(
          options.step_control,
          std::make_unique<KlTrustRegionStrategy>(kl, options.linear_solver),
          kl.min_gain_ratio, kl.max_consecutive_rejections);
  }
  return nullptr;
}

}  // namespace fisheropt
