#include "optim/levenberg_marquardt.h"

#include <algorithm>
#include <cmath>

#include "optim/wall_timer.h"

namespace fisheropt {

bool DampingOptions::IsValid(std::string* error) const {
  if (!(initial_damping_ratio > 0.0)) {
    return InvalidOption("DampingOptions::initial_damping_ratio",
                         initial_damping_ratio, "> 0", error);
  }
  if (!(min_gain_ratio >= 0.0 && min_gain_ratio < 1.0)) {
    return InvalidOption("DampingOptions::min_gain_ratio", min_gain_ratio,
                         "in [0, 1)", error);
  }
  if (max_consecutive_rejections < 1) {
    return InvalidOption("DampingOptions::max_consecutive_rejections",
                         max_consecutive_rejections, ">= 1", error);
  }
  if (!(min_diagonal > 0.0 && std::isfinite(min_diagonal))) {
    return InvalidOption("DampingOptions::min_diagonal", min_diagonal,
                         "> 0 and finite", error);
  }
  if (!(max_diagonal >= min_diagonal)) {
    return InvalidOption("DampingOptions::max_diagonal", max_diagonal,
                         ">= min_diagonal", error);
  }
  return true;
}

Eigen::VectorXd MarquardtScaling::Compute(
    const Eigen::VectorXd& curvature_diagonal) {
  if (damping_.scaling != DampingScaling::kDiagonal) {
    return Eigen::VectorXd();  // D = I
  }
  const Eigen::ArrayXd diagonal = curvature_diagonal.cwiseAbs().array();
  if (jacobi_.size() != diagonal.size()) {
    jacobi_ = (1.0 + diagonal.sqrt()).square();
  }
  return ((diagonal / jacobi_)
              .max(damping_.min_diagonal)
              .min(damping_.max_diagonal) *
          jacobi_)
      .matrix();
}

bool LevenbergMarquardtStrategy::BeginStep(const SolverPoint&,
                                           const CurvatureOperator& curvature,
                                           StepResult*, std::string* message) {
  if (!curvature.is_dense()) {
    *message = "Levenberg-Marquardt damping needs the dense curvature";
    return false;
  }
  const Eigen::MatrixXd& matrix = curvature.matrix();
  diagonal_ = scaling_.Compute(matrix.diagonal());
  if (lambda_ < 0.0) {
    const double scale =
        diagonal_.size() > 0 ? 1.0 : matrix.diagonal().cwiseAbs().maxCoeff();
    lambda_ = damping_.initial_damping_ratio * (scale > 0.0 ? scale : 1.0);
  }
  least_squares_ = curvature.has_least_squares_factor() &&
                   linear_solver_.use_least_squares_factor;
  return true;
}

TrustRegionStrategy::TrialStatus LevenbergMarquardtStrategy::ComputeTrialStep(
    const SolverPoint& current, const CurvatureOperator& curvature,
    Trial* trial, StepResult* result, std::string*) {
  const Eigen::MatrixXd& matrix = curvature.matrix();
  Eigen::VectorXd& step = trial->direction;
  const WallTimer solve_timer;
  ++result->num_factorizations;
  const bool solved =
      least_squares_
          ? SolveShiftedLeastSquares(curvature.factor(), curvature.residuals(),
                                     diagonal_, lambda_,
                                     linear_solver_.min_relative_pivot, &step)
          : SolveShiftedCholesky(matrix, diagonal_, lambda_, -current.gradient,
                                 linear_solver_.min_relative_pivot, &step);
  result->linear_solver_time_in_seconds += solve_timer.Seconds();
  if (!solved) return TrialStatus::kNoStep;
  trial->quadratic_form = 0.5 * step.dot(matrix * step);
  if (least_squares_) {
    const Eigen::VectorXd change = curvature.factor() * step;
    trial->predicted_decrease =
        -change.dot(curvature.residuals() + 0.5 * change);
  } else {
    trial->predicted_decrease =
        -(current.gradient.dot(step) + trial->quadratic_form);
  }
  trial->damping = lambda_;
  return TrialStatus::kStep;
}

void LevenbergMarquardtStrategy::StepAccepted(double gain_ratio) {
  lambda_ *= std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * gain_ratio - 1.0, 3));
  nu_ = 2.0;
}

void LevenbergMarquardtStrategy::StepRejected(double) {
  lambda_ *= nu_;
  nu_ *= 2.0;
}

bool SteihaugStrategy::BeginStep(const SolverPoint& current,
                                 const CurvatureOperator& curvature,
                                 StepResult*, std::string* message) {
  Eigen::VectorXd diagonal;
  if (!curvature.Diagonal(&diagonal) || !diagonal.allFinite()) {
    *message = "the diagonal of the curvature is not finite";
    return false;
  }
  diagonal_ = scaling_.Compute(diagonal);
  if (diagonal_.size() == 0) diagonal_ = Eigen::VectorXd::Ones(diagonal.size());
  forcing_ = std::min(linear_solver_.cg_max_forcing,
                      std::sqrt(current.gradient.norm()));
  max_cg_iterations_ = linear_solver_.cg_max_iterations > 0
                           ? linear_solver_.cg_max_iterations
                           : static_cast<int>(current.gradient.size());
  return true;
}

TrustRegionStrategy::TrialStatus SteihaugStrategy::ComputeTrialStep(
    const SolverPoint& current, const CurvatureOperator& curvature,
    Trial* trial, StepResult* result, std::string* message) {
  const WallTimer solve_timer;
  const bool solved = SolveSteihaugConjugateGradient(
      curvature, current.gradient, diagonal_, radius_, forcing_,
      max_cg_iterations_, &last_);
  result->num_cg_iterations += last_.num_iterations;
  result->linear_solver_time_in_seconds += solve_timer.Seconds();
  Eigen::VectorXd product;
  if (!solved || !curvature.Apply(last_.step, &product)) {
    *message = "Steihaug conjugate gradient met a non-finite product";
    return TrialStatus::kFailure;
  }
  trial->direction = last_.step;
  trial->quadratic_form = 0.5 * last_.step.dot(product);
  trial->predicted_decrease =
      -(current.gradient.dot(last_.step) + trial->quadratic_form);
  trial->radius = radius_;
  return TrialStatus::kStep;
}

}  // namespace fisheropt
