#include "optim/newton_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <sstream>

#include "optim/cost_resolution.h"
#include "optim/counted_objective.h"
#include "optim/iteration_callback.h"
#include "optim/limited_memory_bfgs.h"
#include "optim/linear_solver.h"
#include "optim/secant_update.h"
#include "optim/step_control.h"
#include "optim/wall_timer.h"

namespace fisheropt {
namespace {

// One predicate per stopping rule; each sets the termination message.
bool GradientToleranceReached(const StoppingOptions& stopping,
                              double gradient_max_norm, std::string* message) {
  if (!(gradient_max_norm <= stopping.gradient_tolerance)) return false;
  std::ostringstream stream;
  stream << "Gradient tolerance reached. Gradient max norm: "
         << gradient_max_norm << " <= " << stopping.gradient_tolerance;
  *message = stream.str();
  return true;
}

bool FunctionToleranceReached(const StoppingOptions& stopping,
                              double previous_cost, double cost_change,
                              std::string* message) {
  if (!(stopping.function_tolerance > 0.0)) return false;  // disabled
  const double tolerance =
      stopping.function_tolerance * std::abs(previous_cost);
  if (!(std::abs(cost_change) <= tolerance)) return false;
  std::ostringstream stream;
  stream << "Function tolerance reached. |cost_change|/cost: "
         << std::abs(cost_change) / std::abs(previous_cost)
         << " <= " << stopping.function_tolerance;
  *message = stream.str();
  return true;
}

bool ParameterToleranceReached(const StoppingOptions& stopping,
                               double step_norm, double theta_norm,
                               std::string* message) {
  const double tolerance = stopping.parameter_tolerance *
                           (theta_norm + stopping.parameter_tolerance);
  if (!(step_norm <= tolerance)) return false;
  std::ostringstream stream;
  stream << "Parameter tolerance reached. Relative step_norm: "
         << step_norm / (theta_norm + stopping.parameter_tolerance)
         << " <= " << stopping.parameter_tolerance;
  *message = stream.str();
  return true;
}

// The function tolerance applied to a step that found no decrease: when the
// quadratic model itself predicts less than function_tolerance · |L|, or
// less than the resolution of L (optim/cost_resolution.h), no trial point
// can show a decrease above rounding, and the iterate already meets the rule
// the accepted step would have met.
bool NoDecreaseLeft(const StoppingOptions& stopping, double cost,
                    double predicted_decrease, std::string* message) {
  const double tolerance = std::max(
      stopping.function_tolerance * std::abs(cost), CostResolution(cost));
  if (!(predicted_decrease >= 0.0 && predicted_decrease <= tolerance)) {
    return false;
  }
  std::ostringstream stream;
  stream << "Function tolerance reached. No trial step decreased the cost; "
            "predicted decrease/cost: "
         << predicted_decrease / std::abs(cost)
         << " <= " << tolerance / std::abs(cost)
         << " (function tolerance or the rounding floor of the cost)";
  *message = stream.str();
  return true;
}

// The parameter tolerance applied to a trust-region step that found no
// decrease: its region has shrunk until the last trial step is shorter than
// the tolerance, so the step it would accept meets the rule anyway. This is
// Ceres' "minimum trust region radius" convergence, in the units of the
// parameter tolerance instead of an absolute radius (whose scale, in nats of
// KL or units of λ, depends on the problem).
bool NoStepLeft(const StoppingOptions& stopping, double theta_norm,
                double last_trial_step_norm, std::string* message) {
  const double tolerance = stopping.parameter_tolerance *
                           (theta_norm + stopping.parameter_tolerance);
  if (!(last_trial_step_norm <= tolerance)) return false;  // NaN: unused
  std::ostringstream stream;
  stream << "Parameter tolerance reached. No trial step decreased the cost; "
            "the region shrank to a relative step_norm of "
         << last_trial_step_norm / (theta_norm + stopping.parameter_tolerance)
         << " <= " << stopping.parameter_tolerance;
  *message = stream.str();
  return true;
}

// Runs the callbacks; returns true (and sets the termination) when one stops.
bool CallbacksStop(const std::vector<IterationCallback*>& callbacks,
                   const IterationSummary& iteration, SolverSummary* summary) {
  for (IterationCallback* callback : callbacks) {
    switch ((*callback)(iteration)) {
      case CallbackReturnType::kContinue:
        break;
      case CallbackReturnType::kTerminateSuccessfully:
        summary->termination_type = TerminationType::kUserSuccess;
        summary->message = "User callback returned kTerminateSuccessfully.";
        return true;
      case CallbackReturnType::kAbort:
        summary->termination_type = TerminationType::kUserFailure;
        summary->message = "User callback returned kAbort.";
        return true;
    }
  }
  return false;
}

}  // namespace

std::string MethodName(CurvatureType curvature, StepControlType step_control) {
  switch (step_control) {
    case StepControlType::kFixedStep:
      return curvature == CurvatureType::kHessian ? "damped-newton-fixed-rate"
                                                  : "natural-gradient";
    case StepControlType::kLevenbergMarquardt:
      return ToString(curvature) + "-levenberg-marquardt";
    case StepControlType::kKlTrustRegion:
      return curvature == CurvatureType::kHessian ? "newton-kl-trust-region"
                                                  : "natural-gradient-kl";
    case StepControlType::kLineSearch:
      break;
  }
  switch (curvature) {
    case CurvatureType::kHessian:
      return "newton";
    case CurvatureType::kExpectedFisher:
      return "fisher-scoring";
    case CurvatureType::kEmpiricalFisher:
      return "empirical-fisher-newton";
    case CurvatureType::kMonteCarloFisher:
      return "monte-carlo-fisher-scoring";
    case CurvatureType::kGaussNewton:
      return "gauss-newton";
  }
  return "unknown";
}

void Solve(const SolverOptions& options, const Objective& objective,
           Curvature* curvature, Eigen::VectorXd* theta,
           SolverSummary* summary) {
  const WallTimer total_timer;
  *summary = SolverSummary();
  summary->curvature = ToString(curvature->type());
  summary->curvature_approximation = curvature->Approximation();
  summary->step_control = ToString(options.step_control);
  summary->solver = MethodName(curvature->type(), options.step_control);
  summary->num_parameters = objective.NumParameters();
  if (curvature->type() == CurvatureType::kMonteCarloFisher) {
    summary->monte_carlo_samples = options.curvature.monte_carlo_samples;
  }
  CountedObjective counted(objective);
  const auto finish = [&] {
    summary->num_cost_evaluations = counted.num_value_evaluations();
    summary->num_gradient_evaluations = counted.num_gradient_evaluations();
    summary->cost_evaluation_time_in_seconds = counted.time_in_seconds();
    summary->total_time_in_seconds = total_timer.Seconds();
  };

  std::string error;
  if (!options.IsValid(&error)) {
    summary->message = "Invalid options: " + error;
    finish();
    return;
  }
  if (theta->size() != objective.NumParameters()) {
    std::ostringstream stream;
    stream << "The start point has " << theta->size()
           << " parameters; the objective has " << objective.NumParameters();
    summary->message = stream.str();
    finish();
    return;
  }

  SolverPoint current;
  current.theta = *theta;
  if (!counted.Evaluate(current.theta, &current.value, &current.gradient)) {
    summary->message =
        "The objective or its gradient is not finite at the start point.";
    finish();
    return;
  }
  summary->initial_cost = current.value;
  summary->final_cost = current.value;

  IterationSummary record;
  record.cost = current.value;
  record.gradient_max_norm = current.gradient.lpNorm<Eigen::Infinity>();
  record.gradient_norm = current.gradient.norm();
  record.step_is_successful = true;
  record.cumulative_time_in_seconds = total_timer.Seconds();
  summary->iterations.push_back(record);
  if (CallbacksStop(options.callbacks, record, summary)) {
    finish();
    return;
  }
  if (GradientToleranceReached(options.stopping, record.gradient_max_norm,
                               &summary->message)) {
    summary->termination_type = TerminationType::kConvergence;
    finish();
    return;
  }

  std::unique_ptr<StepControl> step_control = CreateStepControl(options);
  // Truncated Newton: matrix-free products instead of the dense C, unless
  // the step control factorizes C itself.
  const bool matrix_free =
      UsesConjugateGradient(options.linear_solver, objective.NumParameters()) &&
      !step_control->RequiresDenseCurvature();
  summary->linear_solver = matrix_free ? "conjugate_gradient" : "cholesky";
  Eigen::MatrixXd curvature_matrix;
  int curvature_age = -1;  // iterations since C was computed; < 0: never
  // L-BFGS on top of C (CurvatureReuseOptions::secant_memory; its pairs
  // survive a new C, so it works at any max_age), or the dense BFGS update of
  // a reused C itself (secant_update alone, max_age > 1).
  const CurvatureReuseOptions& reuse = options.curvature_reuse;
  const bool limited_memory =
      !matrix_free && reuse.secant_update && reuse.secant_memory > 0;
  const bool secant = limited_memory || (!matrix_free && reuse.secant_update &&
                                         reuse.max_age > 1);
  LimitedMemoryBfgs quasi_newton(reuse.secant_memory);
  if (limited_memory) summary->linear_solver = "lbfgs";
  double previous_gradient_norm = std::numeric_limits<double>::infinity();
  Eigen::MatrixXd factor;     // B of C = BᵀB, for least-squares models
  Eigen::VectorXd residuals;  // b of ∇L = Bᵀb
  summary->termination_type = TerminationType::kNoConvergence;
  summary->message = "Maximum number of iterations reached.";
  for (int iteration = 1; iteration <= options.stopping.max_iterations;
       ++iteration) {
    const WallTimer iteration_timer;
    if (total_timer.Seconds() > options.stopping.max_solver_time_in_seconds) {
      summary->message = "Maximum solver time reached.";
      break;
    }
    // A reused C (CurvatureReuseOptions) is refreshed when it is too old or
    // the last step contracted the gradient too little.
    const bool refresh =
        curvature_age < 0 || curvature_age >= options.curvature_reuse.max_age ||
        current.gradient.norm() >
            options.curvature_reuse.max_gradient_ratio * previous_gradient_norm;
    if (!matrix_free && refresh) {
      const WallTimer curvature_timer;
      ++summary->num_curvature_evaluations;
      const bool have_curvature =
          curvature->Compute(current.theta, &curvature_matrix, &error);
      summary->curvature_time_in_seconds += curvature_timer.Seconds();
      if (!have_curvature) {
        summary->termination_type = TerminationType::kFailure;
        summary->message = "Curvature failed: " + error;
        break;
      }
      curvature_age = 0;
      // A C that is not positive definite leaves L-BFGS without H₀: the step
      // then comes from C itself (shifted as the linear solver does).
      if (limited_memory) quasi_newton.SetInitialCurvature(curvature_matrix);
    }
    ++curvature_age;
    previous_gradient_norm = current.gradient.norm();
    CurvatureOperator curvature_operator =
        matrix_free ? CurvatureOperator(curvature, current.theta)
                    : CurvatureOperator(curvature_matrix);
    // The factor's residuals must be those of the current point (∇L = Bᵀb):
    // only a C computed at this point may use it. (L-BFGS solves with C's
    // Cholesky, not with the factor.)
    if (!matrix_free && !limited_memory && curvature_age == 1 &&
        options.linear_solver.use_least_squares_factor &&
        curvature->LeastSquaresFactor(current.theta, &factor, &residuals)) {
      curvature_operator.SetLeastSquaresFactor(&factor, &residuals);
      summary->linear_solver = "dense_qr";
    }
    if (limited_memory) curvature_operator.SetQuasiNewton(&quasi_newton);

    StepResult step;
    const bool stepped = step_control->ComputeStep(current, curvature_operator,
                                                   &counted, &step, &error);
    summary->num_curvature_products += curvature_operator.num_products();
    summary->num_cg_iterations += step.num_cg_iterations;
    summary->num_linear_solves += step.num_factorizations;
    summary->linear_solver_time_in_seconds +=
        step.linear_solver_time_in_seconds;
    if (!stepped && !matrix_free &&
        (curvature_age > 1 || quasi_newton.num_pairs() > 0)) {
      // A reused C (or the L-BFGS pairs on it) may be what failed: retry this
      // iteration once with C at the current point and no pairs before
      // giving up.
      curvature_age = -1;
      quasi_newton.ClearPairs();
      --iteration;
      continue;
    }
    if (!stepped) {
      if (NoDecreaseLeft(options.stopping, current.value,
                         step.predicted_decrease, &summary->message) ||
          NoStepLeft(options.stopping, current.theta.norm(),
                     step.last_trial_step_norm, &summary->message)) {
        summary->termination_type = TerminationType::kConvergence;
      } else {
        summary->termination_type = TerminationType::kFailure;
        summary->message = "Step failed: " + error;
      }
      break;
    }

    const double previous_cost = current.value;
    const double step_norm = (step.next.theta - current.theta).norm();
    if (secant) {
      const Eigen::VectorXd s = step.next.theta - current.theta;
      const Eigen::VectorXd y = step.next.gradient - current.gradient;
      if (limited_memory ? quasi_newton.AddPair(s, y)
                         : BfgsUpdate(s, y, &curvature_matrix)) {
        ++summary->num_secant_updates;
      }
    }
    current = std::move(step.next);
    *theta = current.theta;
    summary->final_cost = current.value;

    record = IterationSummary();
    record.iteration = iteration;
    record.cost = current.value;
    record.cost_change = previous_cost - current.value;
    record.gradient_max_norm = current.gradient.lpNorm<Eigen::Infinity>();
    record.gradient_norm = current.gradient.norm();
    record.step_norm = step_norm;
    record.step_size = step.step_size;
    record.damping = step.damping;
    record.gain_ratio = step.gain_ratio;
    record.quadratic_form = step.quadratic_form;
    record.trust_region_radius = step.trust_region_radius;
    record.cg_iterations = step.num_cg_iterations;
    record.line_search_evaluations = step.line_search_evaluations;
    record.step_is_successful = true;
    record.iteration_time_in_seconds = iteration_timer.Seconds();
    record.cumulative_time_in_seconds = total_timer.Seconds();
    summary->iterations.push_back(record);

    if (CallbacksStop(options.callbacks, record, summary)) break;
    if (GradientToleranceReached(options.stopping, record.gradient_max_norm,
                                 &summary->message) ||
        FunctionToleranceReached(options.stopping, previous_cost,
                                 record.cost_change, &summary->message) ||
        ParameterToleranceReached(options.stopping, step_norm,
                                  current.theta.norm(), &summary->message)) {
      summary->termination_type = TerminationType::kConvergence;
      break;
    }
  }
  *theta = current.theta;
  finish();
}

void Solve(const SolverOptions& options, const LikelihoodModel& model,
           Eigen::VectorXd* theta, SolverSummary* summary) {
  std::string error;
  std::unique_ptr<Curvature> curvature =
      CreateCurvature(options.curvature, model, &error);
  if (curvature == nullptr) {
    *summary = SolverSummary();
    summary->curvature = ToString(options.curvature.type);
    summary->step_control = ToString(options.step_control);
    summary->message = error;
    return;
  }
  Solve(options, model, curvature.get(), theta, summary);
}

}  // namespace fisheropt
