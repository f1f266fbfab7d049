#include "fisher/expected_fisher.h"

namespace fisheropt {

bool ExpectedFisherCurvature::DoCompute(const Eigen::VectorXd& theta,
                                        Eigen::MatrixXd* curvature) {
  return model().ExpectedFisher(theta, curvature);
}

}  // namespace fisheropt
