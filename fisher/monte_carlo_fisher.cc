#include "fisher/monte_carlo_fisher.h"

namespace fisheropt {

bool MonteCarloFisher::DoCompute(const Eigen::VectorXd& theta,
                                 Eigen::MatrixXd* curvature) {
  const int p = model().NumParameters();
  curvature->setZero(p, p);
  RowMatrixXd sampled;
  Eigen::MatrixXd outer;
  for (int m = 0; m < num_samples_; ++m) {
    model().SampleResponses(theta, &rng_, &sampled);
    model().ScoreOuterProductSum(theta, sampled, &outer);
    *curvature += outer;
  }
  *curvature /= num_samples_;
  return true;
}

}  // namespace fisheropt
