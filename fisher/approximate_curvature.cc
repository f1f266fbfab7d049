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
    // Independent Bernoulli(f) selection of every row, drawn as geometric
    // gaps between kept rows: fN draws instead of N.
    std::geometric_distribution<long> gap(subsample_fraction_);
    const long n = model().NumSamples();
    row_scales.setZero(n);
    for (long i = gap(rng_); i < n; i += 1 + gap(rng_)) {
      row_scales[i] = 1.0 / subsample_fraction_;
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
