#include "optim/baselines/ceres_trust_region_solver.h"

#include <ceres/cost_function.h>
#include <ceres/problem.h>
#include <ceres/solver.h>

#include <cmath>
#include <sstream>

#include "optim/baselines/ceres_summary.h"

namespace fisheropt {
namespace {

using RowMajorMatrix =
    Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// The whole residual vector as one Ceres residual block on one parameter
// block θ.
class ResidualCostFunction final : public ceres::CostFunction {
 public:
  explicit ResidualCostFunction(const ResidualForm& problem)
      : problem_(problem), theta_(problem.NumParameters()) {
    set_num_residuals(problem.NumResiduals());
    mutable_parameter_block_sizes()->push_back(problem.NumParameters());
  }

  bool Evaluate(double const* const* parameters, double* residuals,
                double** jacobians) const override {
    theta_ = Eigen::Map<const Eigen::VectorXd>(parameters[0], theta_.size());
    const bool want_jacobian = jacobians != nullptr && jacobians[0] != nullptr;
    if (!problem_.Residuals(theta_, &residuals_,
                            want_jacobian ? &jacobian_ : nullptr)) {
      return false;
    }
    Eigen::Map<Eigen::VectorXd>(residuals, num_residuals()) = residuals_;
    if (want_jacobian) {
      Eigen::Map<RowMajorMatrix>(jacobians[0], num_residuals(), theta_.size()) =
          jacobian_;
    }
    return true;
  }

 private:
  const ResidualForm& problem_;
  // Scratch; Ceres evaluates from one thread (num_threads = 1).
  mutable Eigen::VectorXd theta_;
  mutable Eigen::VectorXd residuals_;
  mutable Eigen::MatrixXd jacobian_;
};

}  // namespace

std::string ToString(CeresTrustRegionStrategy strategy) {
  switch (strategy) {
    case CeresTrustRegionStrategy::kLevenbergMarquardt:
      return "ceres-lm";
    case CeresTrustRegionStrategy::kDogleg:
      return "ceres-dogleg";
  }
  return "unknown";
}

bool CeresTrustRegionSolverOptions::IsValid(std::string* error) const {
  if (!(initial_trust_region_radius > 0.0) ||
      !std::isfinite(initial_trust_region_radius)) {
    if (error != nullptr) {
      std::ostringstream stream;
      stream << "CeresTrustRegionSolverOptions::initial_trust_region_radius = "
             << initial_trust_region_radius << " must be > 0 and finite";
      *error = stream.str();
    }
    return false;
  }
  return stopping.IsValid(error);
}

void SolveWithCeresTrustRegion(const CeresTrustRegionSolverOptions& options,
                               const ResidualForm& problem,
                               Eigen::VectorXd* theta, SolverSummary* summary) {
  *summary = SolverSummary();
  summary->solver = ToString(options.strategy);
  summary->curvature = "gauss_newton";
  summary->step_control =
      options.strategy == CeresTrustRegionStrategy::kLevenbergMarquardt
          ? "levenberg_marquardt"
          : "dogleg";
  summary->linear_solver = "dense_qr";
  summary->num_parameters = problem.NumParameters();
  std::string error;
  if (!options.IsValid(&error)) {
    summary->message = "Invalid options: " + error;
    return;
  }
  if (theta->size() != problem.NumParameters()) {
    std::ostringstream stream;
    stream << "The start point has " << theta->size()
           << " parameters; the problem has " << problem.NumParameters();
    summary->message = stream.str();
    return;
  }

  ceres::Solver::Options ceres_options;
  ceres_options.minimizer_type = ceres::TRUST_REGION;
  ceres_options.trust_region_strategy_type =
      options.strategy == CeresTrustRegionStrategy::kLevenbergMarquardt
          ? ceres::LEVENBERG_MARQUARDT
          : ceres::DOGLEG;
  ceres_options.linear_solver_type = ceres::DENSE_QR;
  ceres_options.initial_trust_region_radius =
      options.initial_trust_region_radius;
  ceres_options.max_num_iterations = options.stopping.max_iterations;
  ceres_options.max_solver_time_in_seconds =
      options.stopping.max_solver_time_in_seconds;
  ceres_options.function_tolerance = options.stopping.function_tolerance;
  ceres_options.gradient_tolerance = options.stopping.gradient_tolerance;
  ceres_options.parameter_tolerance = options.stopping.parameter_tolerance;
  ceres_options.num_threads = 1;
  ceres_options.logging_type = ceres::SILENT;
  ceres_options.minimizer_progress_to_stdout = false;

  // The problem owns the cost function (default ownership).
  ceres::Problem ceres_problem;
  ceres_problem.AddResidualBlock(new ResidualCostFunction(problem), nullptr,
                                 theta->data());
  ceres::Solver::Summary ceres_summary;
  ceres::Solve(ceres_options, &ceres_problem, &ceres_summary);

  summary->termination_type = FromCeres(ceres_summary.termination_type);
  summary->message = ceres_summary.message;
  // Ceres' cost is ½Σr²; ours is L = ½Σr² + CostOffset().
  const double offset = problem.CostOffset();
  summary->initial_cost = ceres_summary.initial_cost + offset;
  summary->final_cost = ceres_summary.final_cost + offset;
  summary->num_cost_evaluations = ceres_summary.num_residual_evaluations;
  summary->num_gradient_evaluations = ceres_summary.num_jacobian_evaluations;
  summary->num_curvature_evaluations = ceres_summary.num_jacobian_evaluations;
  summary->num_linear_solves = ceres_summary.num_linear_solves;
  summary->total_time_in_seconds = ceres_summary.total_time_in_seconds;
  summary->cost_evaluation_time_in_seconds =
      ceres_summary.residual_evaluation_time_in_seconds +
      ceres_summary.jacobian_evaluation_time_in_seconds;
  summary->linear_solver_time_in_seconds =
      ceres_summary.linear_solver_time_in_seconds;
  const bool lm =
      options.strategy == CeresTrustRegionStrategy::kLevenbergMarquardt;
  for (const ceres::IterationSummary& it : ceres_summary.iterations) {
    if (it.iteration > 0 && !it.step_is_successful) continue;
    IterationSummary record = FromCeres(it);
    record.cost += offset;
    record.iteration = static_cast<int>(summary->iterations.size());
    record.gain_ratio = it.relative_decrease;
    if (lm) {
      record.damping = 1.0 / it.trust_region_radius;
    } else {
      record.trust_region_radius = it.trust_region_radius;
    }
    summary->iterations.push_back(record);
  }
}

}  // namespace fisheropt
