#include "fisher/subsampled_curvature.h"

namespace fisheropt {

bool SubsampledCurvature::DoCompute(const Eigen::VectorXd& theta,
                                    Eigen::MatrixXd* curvature) {
  std::bernoulli_distribution keep(fraction_);
  Eigen::VectorXd row_scales(model().NumSamples());
  for (Eigen::Index i = 0; i < row_scales.size(); ++i) {
    row_scales[i] = keep(rng_) ? 1.0 / fraction_ : 0.0;
  }
  const LikelihoodModel::CurvatureProduct which =
      type_ == CurvatureType::kHessian
          ? LikelihoodModel::CurvatureProduct::kHessian
          : LikelihoodModel::CurvatureProduct::kExpectedFisher;
  return model().CurvatureWithRowScales(which, theta, row_scales, curvature);
}

}  // namespace fisheropt
