#include "fisher/empirical_fisher.h"

namespace fisheropt {

bool EmpiricalFisher::DoCompute(const Eigen::VectorXd& theta,
                                Eigen::MatrixXd* curvature) {
  model().ScoreOuterProductSum(theta, model().ObservedResponses(), curvature);
  return true;
}

}  // namespace fisheropt
