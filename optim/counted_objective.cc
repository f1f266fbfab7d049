#include "optim/counted_objective.h"

#include <cmath>

#include "optim/wall_timer.h"

namespace fisheropt {

bool CountedObjective::Evaluate(const Eigen::VectorXd& theta, double* value,
                                Eigen::VectorXd* gradient) {
  const WallTimer timer;
  ++num_value_evaluations_;
  if (gradient != nullptr) ++num_gradient_evaluations_;
  const bool ok = objective_.Evaluate(theta, value, gradient) &&
                  std::isfinite(*value) &&
                  (gradient == nullptr || gradient->allFinite());
  time_in_seconds_ += timer.Seconds();
  return ok;
}

}  // namespace fisheropt
