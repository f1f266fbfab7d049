#include "fisher/gauss_newton.h"

namespace fisheropt {

bool GaussNewtonCurvature::DoCompute(const Eigen::VectorXd& theta,
                                     Eigen::MatrixXd* curvature) {
  return model().GaussNewton(theta, curvature);
}

}  // namespace fisheropt
