#include "optim/baselines/ceres_gradient_solver.h"

#include <ceres/first_order_function.h>
#include <ceres/gradient_problem.h>
#include <ceres/gradient_problem_solver.h>

#include <sstream>

#include "optim/baselines/ceres_summary.h"

namespace fisheropt {
namespace {

// Our Objective seen as a ceres::FirstOrderFunction.
class ObjectiveFunction final : public ceres::FirstOrderFunction {
 public:
  explicit ObjectiveFunction(const Objective& objective)
      : objective_(objective), theta_(objective.NumParameters()) {}

  bool Evaluate(const double* parameters, double* cost,
                double* gradient) const override {
    theta_ = Eigen::Map<const Eigen::VectorXd>(parameters, theta_.size());
    if (gradient == nullptr) {
      return objective_.Evaluate(theta_, cost, nullptr);
    }
    const bool ok = objective_.Evaluate(theta_, cost, &gradient_);
    if (ok) {
      Eigen::Map<Eigen::VectorXd>(gradient, theta_.size()) = gradient_;
    }
    return ok;
  }
  int NumParameters() const override { return objective_.NumParameters(); }

 private:
  const Objective& objective_;
  // Scratch copies; Ceres calls Evaluate from one thread.
  mutable Eigen::VectorXd theta_;
  mutable Eigen::VectorXd gradient_;
};

}  // namespace

std::string ToString(CeresLineSearchDirection direction) {
  switch (direction) {
    case CeresLineSearchDirection::kLbfgs:
      return "ceres-lbfgs";
    case CeresLineSearchDirection::kBfgs:
      return "ceres-bfgs";
  }
  return "unknown";
}

bool CeresGradientSolverOptions::IsValid(std::string* error) const {
  if (max_lbfgs_rank < 1) {
    if (error != nullptr) {
      *error = "CeresGradientSolverOptions::max_lbfgs_rank = " +
               std::to_string(max_lbfgs_rank) + " must be >= 1";
    }
    return false;
  }
  return stopping.IsValid(error);
}

void SolveWithCeres(const CeresGradientSolverOptions& options,
                    const Objective& objective, Eigen::VectorXd* theta,
                    SolverSummary* summary) {
  *summary = SolverSummary();
  summary->solver = ToString(options.direction);
  summary->curvature =
      options.direction == CeresLineSearchDirection::kLbfgs ? "lbfgs" : "bfgs";
  summary->step_control = "wolfe_line_search";
  summary->num_parameters = objective.NumParameters();
  std::string error;
  if (!options.IsValid(&error)) {
    summary->message = "Invalid options: " + error;
    return;
  }
  if (theta->size() != objective.NumParameters()) {
    std::ostringstream stream;
    stream << "The start point has " << theta->size()
           << " parameters; the objective has " << objective.NumParameters();
    summary->message = stream.str();
    return;
  }

  ceres::GradientProblemSolver::Options ceres_options;
  ceres_options.line_search_direction_type =
      options.direction == CeresLineSearchDirection::kLbfgs ? ceres::LBFGS
                                                            : ceres::BFGS;
  ceres_options.max_lbfgs_rank = options.max_lbfgs_rank;
  ceres_options.use_approximate_eigenvalue_bfgs_scaling =
      options.approximate_eigenvalue_scaling;
  ceres_options.max_num_iterations = options.stopping.max_iterations;
  ceres_options.max_solver_time_in_seconds =
      options.stopping.max_solver_time_in_seconds;
  ceres_options.function_tolerance = options.stopping.function_tolerance;
  ceres_options.gradient_tolerance = options.stopping.gradient_tolerance;
  ceres_options.parameter_tolerance = options.stopping.parameter_tolerance;
  ceres_options.logging_type = ceres::SILENT;
  ceres_options.minimizer_progress_to_stdout = false;

  // The problem takes ownership of the function.
  ceres::GradientProblem problem(new ObjectiveFunction(objective));
  ceres::GradientProblemSolver::Summary ceres_summary;
  ceres::Solve(ceres_options, problem, theta->data(), &ceres_summary);

  summary->termination_type = FromCeres(ceres_summary.termination_type);
  summary->message = ceres_summary.message;
  summary->initial_cost = ceres_summary.initial_cost;
  summary->final_cost = ceres_summary.final_cost;
  // Ceres counts value-only calls apart from value+gradient calls; ours
  // counts every call that computed a value.
  summary->num_cost_evaluations = ceres_summary.num_cost_evaluations +
                                  ceres_summary.num_gradient_evaluations;
  summary->num_gradient_evaluations = ceres_summary.num_gradient_evaluations;
  summary->total_time_in_seconds = ceres_summary.total_time_in_seconds;
  summary->cost_evaluation_time_in_seconds =
      ceres_summary.cost_evaluation_time_in_seconds +
      ceres_summary.gradient_evaluation_time_in_seconds;
  for (const ceres::IterationSummary& it : ceres_summary.iterations) {
    IterationSummary record = FromCeres(it);
    record.line_search_evaluations = it.line_search_function_evaluations;
    summary->iterations.push_back(record);
  }
}

}  // namespace fisheropt
