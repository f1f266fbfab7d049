#include "optim/levenberg_marquardt.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "optim/cost_resolution.h"
#include "optim/linear_solver.h"
#include "optim/wall_timer.h"

namespace fisheropt {

Eigen::VectorXd LevenbergMarquardtStep::MarquardtScaling(
    const Eigen::VectorXd& curvature_diagonal) {
  if (damping_.scaling != DampingScaling::kDiagonal) {
    return Eigen::VectorXd();  // D = I
  }
  // Marquardt scaling D = diag(C), clamped as Ceres clamps it: in the
  // Jacobi-scaled coordinates θ̃_j = (1 + √C_jj(θ₀)) θ_j, fixed at the first
  // iteration, D̃_jj is kept within [min_diagonal, max_diagonal]. A
  // direction whose curvature has collapsed since the start (a parameter the
  // residuals no longer see) is thus still damped on the scale of the start
  // instead of taking a huge step, and a zero diagonal entry gets a finite
  // damping.
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

bool LevenbergMarquardtStep::ComputeStep(const SolverPoint& current,
                                         const CurvatureOperator& operator_c,
                                         CountedObjective* objective,
                                         StepResult* result,
                                         std::string* message) {
  if (!operator_c.is_dense()) {
    return ComputeTrustRegionStep(current, operator_c, objective, result,
                                  message);
  }
  const Eigen::MatrixXd& curvature = operator_c.matrix();
  const Eigen::VectorXd scaling = MarquardtScaling(curvature.diagonal());
  if (lambda_ < 0.0) {
    const double scale =
        scaling.size() > 0 ? 1.0 : curvature.diagonal().cwiseAbs().maxCoeff();
    lambda_ = damping_.initial_damping_ratio * (scale > 0.0 ? scale : 1.0);
  }
  const bool least_squares = operator_c.has_least_squares_factor() &&
                             linear_solver_.use_least_squares_factor;
  SolverPoint& trial = result->next;
  bool had_nonfinite_trial = false;
  Eigen::VectorXd step;
  for (int rejection = 0; rejection < damping_.max_consecutive_rejections;
       ++rejection) {
    const WallTimer solve_timer;
    ++result->num_factorizations;
    const bool solved =
        least_squares
            ? SolveShiftedLeastSquares(operator_c.factor(),
                                       operator_c.residuals(), scaling, lambda_,
                                       linear_solver_.min_relative_pivot, &step)
            : SolveShiftedCholesky(curvature, scaling, lambda_,
                                   -current.gradient,
                                   linear_solver_.min_relative_pivot, &step);
    result->linear_solver_time_in_seconds += solve_timer.Seconds();
    if (solved) {
      // −(gᵀd + ½dᵀCd); for C = BᵀB, g = Bᵀb as ½‖b‖² − ½‖b + Bd‖² =
      // −(Bd)ᵀ(b + ½Bd), which keeps its accuracy when b is small.
      double predicted;
      if (least_squares) {
        const Eigen::VectorXd change = operator_c.factor() * step;
        predicted = -change.dot(operator_c.residuals() + 0.5 * change);
      } else {
        predicted =
            -(current.gradient.dot(step) + 0.5 * step.dot(curvature * step));
      }
      if (std::isnan(result->predicted_decrease)) {
        result->predicted_decrease = predicted;
      }
      trial.theta = current.theta + step;
      ++result->line_search_evaluations;
      const bool finite =
          predicted > 0.0 &&
          objective->Evaluate(trial.theta, &trial.value, &trial.gradient);
      if (predicted > 0.0 && !finite) had_nonfinite_trial = true;
      if (finite) {
        // The parameter-tolerance rule only holds for a region shrunk by
        // finite trials: one shrunk by non-finite values says nothing
        // about the optimum.
        if (!had_nonfinite_trial) result->last_trial_step_norm = step.norm();
        const double rho = (current.value - trial.value) / predicted;
        // At the rounding floor of L, ρ is a ratio of rounding errors: there
        // a step is accepted when L did not rise beyond its resolution. Only
        // the first trial qualifies: after a rejection λ has grown, and a
        // tiny predicted decrease then reflects λ, not the optimum (a step
        // shrunk to nothing must not pass for convergence).
        const double resolution = CostResolution(current.value);
        const bool at_floor = rejection == 0 && predicted <= resolution &&
                              trial.value <= current.value + resolution;
        if (rho > damping_.min_gain_ratio || at_floor) {
          result->gain_ratio = rho;
          result->damping = lambda_;
          result->step_size = 1.0;
          result->quadratic_form = 0.5 * step.dot(curvature * step);
          if (!at_floor) {  // ρ says nothing at the floor: keep λ
            lambda_ *= std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * rho - 1.0, 3));
            nu_ = 2.0;
          }
          return true;
        }
      }
    }
    lambda_ *= nu_;
    nu_ *= 2.0;
    if (!std::isfinite(lambda_)) break;
  }
  std::ostringstream stream;
  stream << "Levenberg-Marquardt rejected "
         << damping_.max_consecutive_rejections
         << " trial steps in a row (damping reached " << lambda_ << ")";
  *message = stream.str();
  return false;
}

// The matrix-free form: a trust region ‖D^½ s‖ ≤ Δ solved by Steihaug-CG
// on products Cv, with Nocedal & Wright's Algorithm 4.1 for Δ. λ and Δ play
// the same part (Δ ≈ 1/λ in the D-norm), so Δ₀ = 1 / initial_damping_ratio,
// as Ceres' initial radius 1e4 corresponds to its λ₀ = 1e-4.
bool LevenbergMarquardtStep::ComputeTrustRegionStep(
    const SolverPoint& current, const CurvatureOperator& operator_c,
    CountedObjective* objective, StepResult* result, std::string* message) {
  Eigen::VectorXd diagonal;
  if (!operator_c.Diagonal(&diagonal) || !diagonal.allFinite()) {
    *message = "the diagonal of the curvature is not finite";
    return false;
  }
  Eigen::VectorXd scaling = MarquardtScaling(diagonal);
  if (scaling.size() == 0) scaling = Eigen::VectorXd::Ones(diagonal.size());
  if (radius_ < 0.0) radius_ = 1.0 / damping_.initial_damping_ratio;
  const double gradient_norm = current.gradient.norm();
  const double forcing =
      std::min(linear_solver_.cg_max_forcing, std::sqrt(gradient_norm));
  const int max_iterations = linear_solver_.cg_max_iterations > 0
                                 ? linear_solver_.cg_max_iterations
                                 : static_cast<int>(current.gradient.size());
  const double resolution = CostResolution(current.value);
  SolverPoint& trial = result->next;
  bool had_nonfinite_trial = false;
  SteihaugResult steihaug;
  Eigen::VectorXd product;
  for (int rejection = 0; rejection < damping_.max_consecutive_rejections;
       ++rejection) {
    const WallTimer solve_timer;
    const bool solved = SolveSteihaugConjugateGradient(
        operator_c, current.gradient, scaling, radius_, forcing, max_iterations,
        &steihaug);
    result->num_cg_iterations += steihaug.num_iterations;
    result->linear_solver_time_in_seconds += solve_timer.Seconds();
    if (!solved || !operator_c.Apply(steihaug.step, &product)) {
      *message = "Steihaug conjugate gradient met a non-finite product";
      return false;
    }
    const Eigen::VectorXd& step = steihaug.step;
    const double quadratic_form = 0.5 * step.dot(product);
    const double predicted = -(current.gradient.dot(step) + quadratic_form);
    if (std::isnan(result->predicted_decrease)) {
      result->predicted_decrease = predicted;
    }
    trial.theta = current.theta + step;
    ++result->line_search_evaluations;
    const bool finite =
        predicted > 0.0 &&
        objective->Evaluate(trial.theta, &trial.value, &trial.gradient);
    if (predicted > 0.0 && !finite) had_nonfinite_trial = true;
    double rho = -std::numeric_limits<double>::infinity();
    bool at_floor = false;
    if (finite) {
      if (!had_nonfinite_trial) result->last_trial_step_norm = step.norm();
      rho = (current.value - trial.value) / predicted;
      // The rounding floor of L, as in the dense form: first trial only.
      at_floor = rejection == 0 && predicted <= resolution &&
                 trial.value <= current.value + resolution;
    }
    const double radius_used = radius_;
    if (!at_floor) {
      if (rho < 0.25) {
        radius_ = 0.25 * steihaug.scaled_norm;
      } else if (rho > 0.75 && steihaug.on_boundary) {
        radius_ = std::min(2.0 * radius_, kMaxTrustRegionRadius);
      }
    }
    if (rho > damping_.min_gain_ratio || at_floor) {
      result->gain_ratio = rho;
      result->damping = 0.0;
      result->trust_region_radius = radius_used;
      result->step_size = 1.0;
      result->quadratic_form = quadratic_form;
      return true;
    }
    if (!(radius_ > 0.0)) break;
  }
  std::ostringstream stream;
  stream << "Levenberg-Marquardt (Steihaug trust region) rejected "
         << result->line_search_evaluations
         << " trial steps in a row (radius reached " << radius_ << ")";
  *message = stream.str();
  return false;
}

}  // namespace fisheropt
