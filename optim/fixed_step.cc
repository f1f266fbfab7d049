#include "optim/fixed_step.h"

#include "optim/linear_solver.h"

namespace fisheropt {

bool FixedStepOptions::IsValid(std::string* error) const {
  if (!(learning_rate > 0.0)) {
    return InvalidOption("FixedStepOptions::learning_rate", learning_rate,
                         "> 0", error);
  }
  if (max_halvings < 0) {
    return InvalidOption("FixedStepOptions::max_halvings", max_halvings, ">= 0",
                         error);
  }
  return true;
}

bool FixedStep::ComputeStep(const SolverPoint& current,
                            const CurvatureOperator& curvature,
                            CountedObjective* objective, StepResult* result,
                            std::string* message) {
  NewtonDirection newton;
  if (!ComputeStepDirection(current, curvature, linear_solver_, &newton, result,
                            message)) {
    return false;
  }
  const double direction_form = curvature.QuadraticForm(newton.direction);
  result->predicted_decrease =
      -(current.gradient.dot(newton.direction) + direction_form);
  SolverPoint& trial = result->next;
  double rate = fixed_step_.learning_rate;
  for (int halving = 0; halving <= fixed_step_.max_halvings; ++halving) {
    trial.theta = current.theta + rate * newton.direction;
    ++result->line_search_evaluations;
    if (objective->Evaluate(trial.theta, &trial.value, &trial.gradient)) {
      result->step_size = rate;
      result->damping = newton.shift;
      result->quadratic_form = rate * rate * direction_form;
      return true;
    }
    rate *= 0.5;
  }
  *message = "every trial point of the fixed step had a non-finite objective";
  return false;
}

}  // namespace fisheropt
