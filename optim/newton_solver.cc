#include "optim/newton_solver.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "optim/cost_resolution.h"
#include "optim/counted_objective.h"
#include "optim/curvature_schedule.h"
#include "optim/iteration_callback.h"
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

// "levenberg_marquardt" → "levenberg-marquardt".
std::string Hyphenated(std::string name) {
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
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

// The minimizer behind Solve, one object per solve: its state and the named
// steps of the algorithm (as Ceres' TrustRegionMinimizer). The curvature is
// opaque here; CurvatureSchedule decides when C is computed and what the
// step control sees of it.
class Minimizer {
 public:
  Minimizer(const SolverOptions& options, const Objective& objective,
            Curvature* curvature, Eigen::VectorXd* theta,
            SolverSummary* summary)
      : options_(options),
        curvature_(curvature),
        counted_(objective),
        theta_(theta),
        summary_(summary) {}

  void Minimize();

 private:
  void ReportSetup();
  bool Initialize();
  bool IterationZero();
  bool MaxSolverTimeReached();
  bool PrepareCurvature();
  bool ComputeStep(StepResult* step);
  void HandleFailedStep(const StepResult& step);
  void HandleSuccessfulStep(int iteration, const WallTimer& iteration_timer,
                            StepResult* step);
  bool ConvergenceReached(double previous_cost);
  void Finish();

  const SolverOptions& options_;
  Curvature* curvature_;
  CountedObjective counted_;
  Eigen::VectorXd* theta_;
  SolverSummary* summary_;
  const WallTimer total_timer_;
  std::string error_;
  SolverPoint current_;
  std::optional<CurvatureSchedule> schedule_;
  std::unique_ptr<StepControl> step_control_;
};

void Minimizer::Minimize() {
  ReportSetup();
  if (Initialize() && IterationZero()) {
    schedule_.emplace(options_, curvature_, counted_.NumParameters());
    step_control_ = CreateStepControl(options_, schedule_->matrix_free());
    summary_->termination_type = TerminationType::kNoConvergence;
    summary_->message = "Maximum number of iterations reached.";
    int iteration = 1;
    while (iteration <= options_.stopping.max_iterations) {
      const WallTimer iteration_timer;
      if (MaxSolverTimeReached() || !PrepareCurvature()) break;
      StepResult step;
      if (!ComputeStep(&step)) {
        if (schedule_->RetryWithFreshCurvature()) continue;  // same iteration
        HandleFailedStep(step);
        break;
      }
      const double previous_cost = current_.value;
      HandleSuccessfulStep(iteration, iteration_timer, &step);
      if (CallbacksStop(options_.callbacks, summary_->iterations.back(),
                        summary_) ||
          ConvergenceReached(previous_cost)) {
        break;
      }
      ++iteration;
    }
  }
  Finish();
}

// What ran, before anything can fail.
void Minimizer::ReportSetup() {
  *summary_ = SolverSummary();
  summary_->curvature = ToString(curvature_->type());
  summary_->curvature_approximation = curvature_->Approximation();
  summary_->monte_carlo_samples = curvature_->MonteCarloSamples();
  summary_->step_control = ToString(options_.step_control);
  summary_->solver = MethodName(curvature_->type(), options_.step_control);
  summary_->num_parameters = counted_.NumParameters();
}

// Valid options and a finite start point of the right size, or kFailure.
bool Minimizer::Initialize() {
  if (!options_.IsValid(&error_)) {
    summary_->message = "Invalid options: " + error_;
    return false;
  }
  if (theta_->size() != counted_.NumParameters()) {
    std::ostringstream stream;
    stream << "The start point has " << theta_->size()
           << " parameters; the objective has " << counted_.NumParameters();
    summary_->message = stream.str();
    return false;
  }
  current_.theta = *theta_;
  if (!counted_.Evaluate(current_.theta, &current_.value, &current_.gradient)) {
    summary_->message =
        "The objective or its gradient is not finite at the start point.";
    return false;
  }
  summary_->initial_cost = current_.value;
  summary_->final_cost = current_.value;
  return true;
}

// Records the start point; false when the solve ends there (a callback, or
// the gradient tolerance already met).
bool Minimizer::IterationZero() {
  IterationSummary record;
  record.cost = current_.value;
  record.gradient_max_norm = current_.gradient.lpNorm<Eigen::Infinity>();
  record.gradient_norm = current_.gradient.norm();
  record.step_is_successful = true;
  record.cumulative_time_in_seconds = total_timer_.Seconds();
  summary_->iterations.push_back(record);
  if (CallbacksStop(options_.callbacks, record, summary_)) return false;
  if (GradientToleranceReached(options_.stopping, record.gradient_max_norm,
                               &summary_->message)) {
    summary_->termination_type = TerminationType::kConvergence;
    return false;
  }
  return true;
}

bool Minimizer::MaxSolverTimeReached() {
  if (!(total_timer_.Seconds() >
        options_.stopping.max_solver_time_in_seconds)) {
    return false;
  }
  summary_->message = "Maximum solver time reached.";
  return true;
}

bool Minimizer::PrepareCurvature() {
  if (schedule_->Prepare(current_, summary_, &error_)) return true;
  summary_->termination_type = TerminationType::kFailure;
  summary_->message = "Curvature failed: " + error_;
  return false;
}

// The step control's step on the schedule's operator, with its counts.
bool Minimizer::ComputeStep(StepResult* step) {
  const CurvatureOperator& curvature = schedule_->curvature_operator();
  const bool stepped =
      step_control_->ComputeStep(current_, curvature, &counted_, step, &error_);
  summary_->num_curvature_products += curvature.num_products();
  summary_->num_cg_iterations += step->num_cg_iterations;
  summary_->num_linear_solves += step->num_factorizations;
  summary_->linear_solver_time_in_seconds +=
      step->linear_solver_time_in_seconds;
  return stepped;
}

// A step that found no acceptable point: convergence when no decrease or no
// step was left to find, a failure otherwise. θ stays at the last good point.
void Minimizer::HandleFailedStep(const StepResult& step) {
  if (NoDecreaseLeft(options_.stopping, current_.value, step.predicted_decrease,
                     &summary_->message) ||
      NoStepLeft(options_.stopping, current_.theta.norm(),
                 step.last_trial_step_norm, &summary_->message)) {
    summary_->termination_type = TerminationType::kConvergence;
  } else {
    summary_->termination_type = TerminationType::kFailure;
    summary_->message = "Step failed: " + error_;
  }
}

// Moves to the accepted point and records the iteration.
void Minimizer::HandleSuccessfulStep(int iteration,
                                     const WallTimer& iteration_timer,
                                     StepResult* step) {
  const double previous_cost = current_.value;
  const double step_norm = (step->next.theta - current_.theta).norm();
  schedule_->StepAccepted(current_, step->next, summary_);
  current_ = std::move(step->next);
  *theta_ = current_.theta;
  summary_->final_cost = current_.value;

  IterationSummary record;
  record.iteration = iteration;
  record.cost = current_.value;
  record.cost_change = previous_cost - current_.value;
  record.gradient_max_norm = current_.gradient.lpNorm<Eigen::Infinity>();
  record.gradient_norm = current_.gradient.norm();
  record.step_norm = step_norm;
  record.step_size = step->step_size;
  record.damping = step->damping;
  record.gain_ratio = step->gain_ratio;
  record.quadratic_form = step->quadratic_form;
  record.trust_region_radius = step->trust_region_radius;
  record.cg_iterations = step->num_cg_iterations;
  record.line_search_evaluations = step->line_search_evaluations;
  record.step_is_successful = true;
  record.iteration_time_in_seconds = iteration_timer.Seconds();
  record.cumulative_time_in_seconds = total_timer_.Seconds();
  summary_->iterations.push_back(record);
}

// The tolerance rules after an accepted step (Ceres' order and definitions).
bool Minimizer::ConvergenceReached(double previous_cost) {
  const IterationSummary& record = summary_->iterations.back();
  const StoppingOptions& stopping = options_.stopping;
  if (GradientToleranceReached(stopping, record.gradient_max_norm,
                               &summary_->message) ||
      FunctionToleranceReached(stopping, previous_cost, record.cost_change,
                               &summary_->message) ||
      ParameterToleranceReached(stopping, record.step_norm,
                                current_.theta.norm(), &summary_->message)) {
    summary_->termination_type = TerminationType::kConvergence;
    return true;
  }
  return false;
}

void Minimizer::Finish() {
  if (schedule_) summary_->linear_solver = schedule_->LinearSolverName();
  summary_->num_cost_evaluations = counted_.num_value_evaluations();
  summary_->num_gradient_evaluations = counted_.num_gradient_evaluations();
  summary_->cost_evaluation_time_in_seconds = counted_.time_in_seconds();
  summary_->total_time_in_seconds = total_timer_.Seconds();
}

}  // namespace

std::string MethodName(CurvatureType curvature, StepControlType step_control) {
  const bool hessian = curvature == CurvatureType::kHessian;
  switch (step_control) {
    case StepControlType::kLineSearch:
      break;
    case StepControlType::kFixedStep:
      return hessian ? "damped-newton-fixed-rate" : "natural-gradient";
    case StepControlType::kKlTrustRegion:
      return hessian ? "newton-kl-trust-region" : "natural-gradient-kl";
    default:  // levenberg_marquardt, and any step control without a name
      return ToString(curvature) + "-" + Hyphenated(ToString(step_control));
  }
  // The line-search methods have their own names; a curvature without one
  // is named after itself.
  static const std::pair<CurvatureType, const char*> kLineSearchNames[] = {
      {CurvatureType::kHessian, "newton"},
      {CurvatureType::kExpectedFisher, "fisher-scoring"},
      {CurvatureType::kEmpiricalFisher, "empirical-fisher-newton"},
      {CurvatureType::kMonteCarloFisher, "monte-carlo-fisher-scoring"},
      {CurvatureType::kGaussNewton, "gauss-newton"},
  };
  for (const auto& [type, name] : kLineSearchNames) {
    if (type == curvature) return name;
  }
  return Hyphenated(ToString(curvature)) + "-line-search";
}

void Solve(const SolverOptions& options, const Objective& objective,
           Curvature* curvature, Eigen::VectorXd* theta,
           SolverSummary* summary) {
  Minimizer(options, objective, curvature, theta, summary).Minimize();
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
