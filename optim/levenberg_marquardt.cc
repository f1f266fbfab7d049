#include "optim/levenberg_marquardt.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "optim/linear_solver.h"
#include "optim/wall_timer.h"

namespace fisheropt {
namespace {

// How many units of roundoff of L count as "below resolution".
constexpr double kRoundingFloorUlps = 16.0;

}  // namespace

bool LevenbergMarquardtStep::ComputeStep(const SolverPoint& current,
                                         const CurvatureOperator& operator_c,
                                         CountedObjective* objective,
                                         StepResult* result,
                                         std::string* message) {
  const Eigen::MatrixXd& curvature = operator_c.matrix();
  Eigen::VectorXd scaling;  // empty: D = I
  if (damping_.scaling == DampingScaling::kDiagonal) {
    // Marquardt scaling; a zero diagonal entry would leave that direction
    // undamped, so it is floored at a tiny multiple of the largest.
    const double floor = 1e-12 * curvature.diagonal().cwiseAbs().maxCoeff();
    scaling = curvature.diagonal().cwiseAbs().cwiseMax(floor > 0 ? floor : 1.0);
  }
  if (lambda_ < 0.0) {
    const double scale = scaling.size() > 0
                             ? 1.0
                             : curvature.diagonal().cwiseAbs().maxCoeff();
    lambda_ = damping_.initial_damping_ratio * (scale > 0.0 ? scale : 1.0);
  }
  SolverPoint& trial = result->next;
  Eigen::VectorXd step;
  for (int rejection = 0; rejection < damping_.max_consecutive_rejections;
       ++rejection) {
    const WallTimer solve_timer;
    ++result->num_factorizations;
    const bool solved = SolveShiftedCholesky(
        curvature, scaling, lambda_, -current.gradient,
        linear_solver_.min_relative_pivot, &step);
    result->linear_solver_time_in_seconds += solve_timer.Seconds();
    if (solved) {
      const double predicted =
          -(current.gradient.dot(step) + 0.5 * step.dot(curvature * step));
      if (std::isnan(result->predicted_decrease)) {
        result->predicted_decrease = predicted;
      }
      trial.theta = current.theta + step;
      ++result->line_search_evaluations;
      if (predicted > 0.0 &&
          objective->Evaluate(trial.theta, &trial.value, &trial.gradient)) {
        const double rho = (current.value - trial.value) / predicted;
        // At the rounding floor of L, ρ is a ratio of rounding errors: there
        // a step is accepted when L did not rise beyond its resolution.
        const double resolution =
            kRoundingFloorUlps * std::numeric_limits<double>::epsilon() *
            std::abs(current.value);
        const bool at_floor = predicted <= resolution &&
                              trial.value <= current.value + resolution;
        if (rho > damping_.min_gain_ratio || at_floor) {
          result->gain_ratio = rho;
          result->damping = lambda_;
          result->step_size = 1.0;
          result->quadratic_form = 0.5 * step.dot(curvature * step);
          if (!at_floor) {  // ρ says nothing at the floor: keep λ
            lambda_ *=
                std::max(1.0 / 3.0, 1.0 - std::pow(2.0 * rho - 1.0, 3));
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

}  // namespace fisheropt
