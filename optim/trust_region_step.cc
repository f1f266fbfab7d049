#include "optim/trust_region_step.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "optim/cost_resolution.h"

namespace fisheropt {

bool TrustRegionStep::ComputeStep(const SolverPoint& current,
                                  const CurvatureOperator& curvature,
                                  CountedObjective* objective,
                                  StepResult* result, std::string* message) {
  if (!strategy_->BeginStep(current, curvature, result, message)) return false;
  const double resolution = CostResolution(current.value);
  SolverPoint& next = result->next;
  bool had_nonfinite_trial = false;
  int num_trials = 0;
  while (num_trials < max_consecutive_rejections_) {
    TrustRegionStrategy::Trial trial;
    const TrustRegionStrategy::TrialStatus status = strategy_->ComputeTrialStep(
        current, curvature, &trial, result, message);
    if (status == TrustRegionStrategy::TrialStatus::kFailure) return false;
    const bool first_trial = num_trials++ == 0;
    double gain_ratio = -std::numeric_limits<double>::infinity();
    bool at_floor = false;
    if (status == TrustRegionStrategy::TrialStatus::kStep) {
      const double predicted = trial.predicted_decrease;
      if (std::isnan(result->predicted_decrease)) {
        result->predicted_decrease = predicted;
      }
      next.theta = current.theta + trial.step_size * trial.direction;
      ++result->line_search_evaluations;
      const bool finite =
          predicted > 0.0 &&
          objective->Evaluate(next.theta, &next.value, &next.gradient);
      if (predicted > 0.0 && !finite) had_nonfinite_trial = true;
      if (finite) {
        if (!had_nonfinite_trial) {
          result->last_trial_step_norm =
              trial.step_size * trial.direction.norm();
        }
        gain_ratio = (current.value - next.value) / predicted;
        at_floor = first_trial && predicted <= resolution &&
                   next.value <= current.value + resolution;
      }
    }
    if (gain_ratio > min_gain_ratio_ || at_floor) {
      result->step_size = trial.step_size;
      result->damping = trial.damping;
      result->gain_ratio = gain_ratio;
      result->quadratic_form = trial.quadratic_form;
      result->trust_region_radius = trial.radius;
      if (!at_floor) strategy_->StepAccepted(gain_ratio);
      return true;
    }
    strategy_->StepRejected(gain_ratio);
    if (strategy_->Exhausted(std::abs(current.value))) break;
  }
  std::ostringstream stream;
  stream << strategy_->Name() << " rejected " << num_trials
         << " trial steps in a row (" << strategy_->RadiusName() << " reached "
         << strategy_->Radius() << ")";
  *message = stream.str();
  return false;
}

}  // namespace fisheropt
