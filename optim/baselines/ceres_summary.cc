#include "optim/baselines/ceres_summary.h"

namespace fisheropt {

TerminationType FromCeres(ceres::TerminationType type) {
  switch (type) {
    case ceres::CONVERGENCE:
      return TerminationType::kConvergence;
    case ceres::NO_CONVERGENCE:
      return TerminationType::kNoConvergence;
    case ceres::USER_SUCCESS:
      return TerminationType::kUserSuccess;
    case ceres::USER_FAILURE:
      return TerminationType::kUserFailure;
    case ceres::FAILURE:
      break;
  }
  return TerminationType::kFailure;
}

IterationSummary FromCeres(const ceres::IterationSummary& it) {
  IterationSummary record;
  record.iteration = it.iteration;
  record.cost = it.cost;
  record.cost_change = it.cost_change;
  record.gradient_max_norm = it.gradient_max_norm;
  record.gradient_norm = it.gradient_norm;
  record.step_norm = it.step_norm;
  record.step_size = it.step_size;
  record.step_is_successful = it.step_is_successful;
  record.iteration_time_in_seconds = it.iteration_time_in_seconds;
  record.cumulative_time_in_seconds = it.cumulative_time_in_seconds;
  return record;
}

}  // namespace fisheropt
