#include "stats/glm_fit.h"

namespace fisheropt {

SolverOptions GlmSpec::DefaultSolverOptions() {
  SolverOptions options;
  options.curvature.type = CurvatureType::kExpectedFisher;
  options.step_control = StepControlType::kLineSearch;
  options.stopping.max_iterations = 100;
  options.stopping.function_tolerance = 1e-12;
  options.stopping.parameter_tolerance = 1e-14;
  return options;
}

bool GlmSpec::IsValid(std::string* error) const {
  return solver.IsValid(error);
}

}  // namespace fisheropt
