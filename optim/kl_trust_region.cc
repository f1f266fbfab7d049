#include "optim/kl_trust_region.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "optim/cost_resolution.h"
#include "optim/linear_solver.h"

namespace fisheropt {
namespace {}  // namespace

bool KlTrustRegionStep::ComputeStep(const SolverPoint& current,
                                    const CurvatureOperator& curvature,
                                    CountedObjective* objective,
                                    StepResult* result, std::string* message) {
  NewtonDirection newton;
  if (!ComputeStepDirection(current, curvature, linear_solver_, &newton, result,
                            message)) {
    return false;
  }
  const Eigen::VectorXd& direction = newton.direction;
  // ½ dᵀCd (the model) and ½ dᵀ(C + τI)d (the metric of the region).
  const double model_form = curvature.QuadraticForm(direction);
  double metric_form =
      model_form + 0.5 * newton.shift * direction.squaredNorm();
  if (!(metric_form > 0.0)) {
    // Negative curvature along a truncated-Newton direction (CG stopped on
    // pᵀCp ≤ 0): the model is unbounded along d, so the region is measured
    // in the Jacobi metric ½ dᵀ|diag C|d (½‖d‖² if that vanishes).
    Eigen::VectorXd diagonal;
    if (curvature.Diagonal(&diagonal)) {
      metric_form = 0.5 * direction.cwiseAbs2().dot(diagonal.cwiseAbs());
    }
    if (!(metric_form > 0.0)) metric_form = 0.5 * direction.squaredNorm();
  }
  const double slope = current.gradient.dot(direction);
  if (!(metric_form > 0.0) || !std::isfinite(model_form)) {
    *message = "the curvature gives the direction no positive length";
    return false;
  }

  // What the quadratic model says is left to gain (the full step): the
  // solver's rounding-floor rule compares this with the cost's resolution.
  result->predicted_decrease = -(slope + model_form);
  SolverPoint& trial = result->next;
  bool had_nonfinite_trial = false;
  const double resolution = CostResolution(current.value);
  for (int rejection = 0; rejection < options_.max_consecutive_rejections;
       ++rejection) {
    const double alpha = std::min(1.0, std::sqrt(radius_ / metric_form));
    const double step_form = alpha * alpha * metric_form;
    const double predicted = -(alpha * slope + alpha * alpha * model_form);
    trial.theta = current.theta + alpha * direction;
    ++result->line_search_evaluations;
    double rho = -std::numeric_limits<double>::infinity();
    bool at_floor = false;
    const bool finite =
        predicted > 0.0 &&
        objective->Evaluate(trial.theta, &trial.value, &trial.gradient);
    if (predicted > 0.0 && !finite) had_nonfinite_trial = true;
    if (finite) {
      rho = (current.value - trial.value) / predicted;
      // Only a region shrunk by finite trials counts for the parameter-
      // tolerance rule.
      if (!had_nonfinite_trial) {
        result->last_trial_step_norm = alpha * direction.norm();
      }
      at_floor =
          predicted <= resolution && trial.value <= current.value + resolution;
    }
    const bool accepted = rho > options_.min_gain_ratio || at_floor;
    const double radius_used = radius_;
    if (!at_floor) {
      if (rho < options_.poor_gain_ratio) {
        radius_ = options_.shrink_factor * step_form;
      } else if (rho > options_.good_gain_ratio && alpha < 1.0) {
        radius_ =
            std::min(options_.growth_factor * radius_, options_.max_radius);
      }
    }
    if (accepted) {
      result->step_size = alpha;
      result->damping = newton.shift;
      result->gain_ratio = rho;
      result->quadratic_form = alpha * alpha * model_form;
      result->trust_region_radius = radius_used;
      return true;
    }
    if (!(radius_ >= options_.min_radius * std::abs(current.value))) break;
  }
  std::ostringstream stream;
  stream << "KL trust region rejected " << result->line_search_evaluations
         << " trial steps in a row (radius reached " << radius_ << ")";
  *message = stream.str();
  return false;
}

}  // namespace fisheropt
