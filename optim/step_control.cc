#include "optim/step_control.h"

#include "optim/fixed_step.h"
#include "optim/kl_trust_region.h"
#include "optim/levenberg_marquardt.h"
#include "optim/line_search.h"

namespace fisheropt {

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
