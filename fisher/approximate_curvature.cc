#include "fisher/approximate_curvature.h"

#include <sstream>

namespace fisheropt {

std::string ApproximateCurvature::Approximation() const {
  std::ostringstream text;
  if (subsample_fraction_ < 1.0) {
    text << "rows subsampled, fraction " << subsample_fraction_;
  }
  if (precision_ == GramPrecision::kSingle) {
    text << (subsample_fraction_ < 1.0 ? "; " : "")
         << "single-precision Gram kernel";
  }
  return text.str();
}

bool ApproximateCurvature::DoCompute(const Eigen::VectorXd& theta,
                                     Eigen::MatrixXd* curvature) {
  LikelihoodModel::CurvatureApproximation approximation;
  approximation.precision = precision_;
  Eigen::VectorXd row_scales;
  if (subsample_fraction_ < 1.0) {
    std::bernoulli_distribution keep(subsample_fraction_);
    row_scales.resize(model().NumSamples());
    for (Eigen::Index i = 0; i < row_scales.size(); ++i) {
      row_scales[i] = keep(rng_) ? 1.0 / subsample_fraction_ : 0.0;
    }
    approximation.row_scales = &row_scales;
  }
  const LikelihoodModel::CurvatureProduct which =
      type_ == CurvatureType::kHessian
          ? LikelihoodModel::CurvatureProduct::kHessian
          : LikelihoodModel::CurvatureProduct::kExpectedFisher;
  return model().ApproximateCurvature(which, theta, approximation, curvature);
}

}  // namespace fisheropt
