#include "optim/line_search.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "optim/linear_solver.h"
#include "optim/wall_timer.h"

namespace fisheropt {

ArmijoLineSearch::Result ArmijoLineSearch::Search(
    const Function& phi, double value, double directional_derivative) const {
  Result result;
  double alpha = 1.0;
  while (result.num_evaluations < options_.max_evaluations &&
         alpha >= options_.min_step_size) {
    double trial_value = 0.0;
    ++result.num_evaluations;
    const bool finite = phi(alpha, &trial_value);
    if (finite && trial_value <= value + options_.sufficient_decrease * alpha *
                                             directional_derivative) {
      result.success = true;
      result.step_size = alpha;
      result.value = trial_value;
      return result;
    }
    double next_alpha = 0.5 * alpha;
    if (finite) {
      // Minimizer of q(t) = φ(0) + φ'(0) t + c t², through φ(α).
      const double curvature =
          (trial_value - value - directional_derivative * alpha) /
          (alpha * alpha);
      if (curvature > 0.0) {
        next_alpha = -directional_derivative / (2.0 * curvature);
      }
    }
    alpha = std::clamp(next_alpha, options_.max_step_contraction * alpha,
                       options_.min_step_contraction * alpha);
  }
  return result;
}

bool LineSearchStep::ComputeStep(const SolverPoint& current,
                                 const Eigen::MatrixXd& curvature,
                                 CountedObjective* objective,
                                 StepResult* result, std::string* message) {
  const WallTimer solve_timer;
  NewtonDirection newton;
  const bool solved = ComputeNewtonDirection(curvature, current.gradient,
                                             linear_solver_, &newton);
  result->linear_solver_time_in_seconds = solve_timer.Seconds();
  result->num_factorizations = newton.num_factorizations;
  if (!solved) {
    *message = "the curvature could not be made positive definite by any "
               "shift in the retry budget";
    return false;
  }
  const Eigen::VectorXd& direction = newton.direction;
  result->predicted_decrease =
      -(current.gradient.dot(direction) +
        0.5 * direction.dot(curvature * direction));
  SolverPoint& trial = result->next;
  const auto phi = [&](double alpha, double* value) {
    trial.theta = current.theta + alpha * direction;
    return objective->Evaluate(trial.theta, value, &trial.gradient);
  };
  const ArmijoLineSearch::Result search = line_search_.Search(
      phi, current.value, current.gradient.dot(direction));
  result->line_search_evaluations = search.num_evaluations;
  if (!search.success) {
    std::ostringstream stream;
    stream << "line search found no point with sufficient decrease in "
           << search.num_evaluations << " evaluations";
    *message = stream.str();
    return false;
  }
  // The last trial evaluated is the accepted one.
  trial.value = search.value;
  result->step_size = search.step_size;
  result->damping = newton.shift;
  const Eigen::VectorXd step = search.step_size * direction;
  result->quadratic_form = 0.5 * step.dot(curvature * step);
  return true;
}

}  // namespace fisheropt
