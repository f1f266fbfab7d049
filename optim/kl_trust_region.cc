#include "optim/kl_trust_region.h"

#include <algorithm>
#include <cmath>

#include "optim/linear_solver.h"

namespace fisheropt {

bool KlTrustRegionOptions::IsValid(std::string* error) const {
  if (!(initial_radius > 0.0)) {
    return InvalidOption("KlTrustRegionOptions::initial_radius", initial_radius,
                         "> 0", error);
  }
  if (!(max_radius >= initial_radius)) {
    return InvalidOption("KlTrustRegionOptions::max_radius", max_radius,
                         ">= initial_radius", error);
  }
  if (!(min_radius > 0.0 && min_radius < 1.0)) {
    return InvalidOption("KlTrustRegionOptions::min_radius", min_radius,
                         "in (0, 1)", error);
  }
  if (!(min_gain_ratio >= 0.0 && min_gain_ratio < poor_gain_ratio)) {
    return InvalidOption("KlTrustRegionOptions::min_gain_ratio", min_gain_ratio,
                         "in [0, poor_gain_ratio)", error);
  }
  if (!(poor_gain_ratio < good_gain_ratio && good_gain_ratio < 1.0)) {
    return InvalidOption("KlTrustRegionOptions::good_gain_ratio",
                         good_gain_ratio, "in (poor_gain_ratio, 1)", error);
  }
  if (!(shrink_factor > 0.0 && shrink_factor < 1.0)) {
    return InvalidOption("KlTrustRegionOptions::shrink_factor", shrink_factor,
                         "in (0, 1)", error);
  }
  if (!(growth_factor > 1.0)) {
    return InvalidOption("KlTrustRegionOptions::growth_factor", growth_factor,
                         "> 1", error);
  }
  if (max_consecutive_rejections < 1) {
    return InvalidOption("KlTrustRegionOptions::max_consecutive_rejections",
                         max_consecutive_rejections, ">= 1", error);
  }
  return true;
}

bool KlTrustRegionStrategy::BeginStep(const SolverPoint& current,
                                      const CurvatureOperator& curvature,
                                      StepResult* result,
                                      std::string* message) {
  NewtonDirection newton;
  if (!ComputeStepDirection(current, curvature, linear_solver_, &newton, result,
                            message)) {
    return false;
  }
  direction_ = std::move(newton.direction);
  shift_ = newton.shift;
  model_form_ = curvature.QuadraticForm(direction_);
  metric_form_ = model_form_ + 0.5 * shift_ * direction_.squaredNorm();
  if (!(metric_form_ > 0.0)) {
    // Negative curvature along a truncated-Newton direction (CG stopped on
    // pᵀCp ≤ 0): the model is unbounded along d, so the region is measured
    // in the Jacobi metric ½ dᵀ|diag C|d (½‖d‖² if that vanishes).
    Eigen::VectorXd diagonal;
    if (curvature.Diagonal(&diagonal)) {
      metric_form_ = 0.5 * direction_.cwiseAbs2().dot(diagonal.cwiseAbs());
    }
    if (!(metric_form_ > 0.0)) metric_form_ = 0.5 * direction_.squaredNorm();
  }
  slope_ = current.gradient.dot(direction_);
  if (!(metric_form_ > 0.0) || !std::isfinite(model_form_)) {
    *message = "the curvature gives the direction no positive length";
    return false;
  }
  result->predicted_decrease = -(slope_ + model_form_);
  return true;
}

TrustRegionStrategy::TrialStatus KlTrustRegionStrategy::ComputeTrialStep(
    const SolverPoint&, const CurvatureOperator&, Trial* trial, StepResult*,
    std::string*) {
  alpha_ = std::min(1.0, std::sqrt(radius_ / metric_form_));
  step_form_ = alpha_ * alpha_ * metric_form_;
  trial->direction = direction_;
  trial->step_size = alpha_;
  trial->predicted_decrease =
      -(alpha_ * slope_ + alpha_ * alpha_ * model_form_);
  trial->quadratic_form = alpha_ * alpha_ * model_form_;
  trial->damping = shift_;
  trial->radius = radius_;
  return TrialStatus::kStep;
}

}  // namespace fisheropt
