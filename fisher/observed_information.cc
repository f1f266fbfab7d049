#include "fisher/observed_information.h"

namespace fisheropt {

bool ObservedInformation::DoCompute(const Eigen::VectorXd& theta,
                                    Eigen::MatrixXd* curvature) {
  return model().Hessian(theta, curvature);
}

}  // namespace fisheropt
