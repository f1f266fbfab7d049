#ifndef FISHEROPT_OPTIM_COUNTED_OBJECTIVE_H_
#define FISHEROPT_OPTIM_COUNTED_OBJECTIVE_H_

#include <Eigen/Core>

#include "problems/objective.h"

namespace fisheropt {

// An Objective seen through the solver's bookkeeping: every evaluation is
// counted (values and gradients separately) and timed, and a point whose
// value or gradient is not finite is reported as a failed evaluation.
class CountedObjective {
 public:
  explicit CountedObjective(const Objective& objective)
      : objective_(objective) {}

  int NumParameters() const { return objective_.NumParameters(); }

  // False when θ is outside the domain or the value/gradient is not finite.
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient);

  int num_value_evaluations() const { return num_value_evaluations_; }
  int num_gradient_evaluations() const { return num_gradient_evaluations_; }
  double time_in_seconds() const { return time_in_seconds_; }

 private:
  const Objective& objective_;
  int num_value_evaluations_ = 0;
  int num_gradient_evaluations_ = 0;
  double time_in_seconds_ = 0.0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_COUNTED_OBJECTIVE_H_
