#include "problems/sample_nll_residual_form.h"

#include <algorithm>
#include <cmath>

namespace fisheropt {

bool SampleNllResidualForm::Residuals(const Eigen::VectorXd& theta,
                                      Eigen::VectorXd* residuals,
                                      Eigen::MatrixXd* jacobian) const {
  const int n = model_.NumSamples();
  Eigen::VectorXd log_likelihoods;
  model_.LogLikelihoods(theta, model_.ObservedResponses(), 0, n,
                        &log_likelihoods);
  *residuals = (-2.0 * log_likelihoods).cwiseMax(0.0).cwiseSqrt();
  if (jacobian != nullptr) {
    Eigen::MatrixXd scores;
    model_.Scores(theta, model_.ObservedResponses(), 0, n, &scores);
    const Eigen::VectorXd scale =
        residuals->unaryExpr([](double r) { return r > 0.0 ? -1.0 / r : 0.0; });
    *jacobian = scale.asDiagonal() * scores;
    if (!jacobian->allFinite()) return false;
  }
  return residuals->allFinite();
}

}  // namespace fisheropt
