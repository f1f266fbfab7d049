#ifndef FISHEROPT_FISHER_SUBSAMPLED_CURVATURE_H_
#define FISHEROPT_FISHER_SUBSAMPLED_CURVATURE_H_

#include <cstdint>
#include <random>

#include "fisher/curvature.h"

namespace fisheropt {

// A row-subsampled expected Fisher or Hessian: each Compute() keeps every
// sample with probability f (CurvatureOptions::subsample_fraction) and
// weighs the kept ones by 1/f,
//   C̃ = Σ_i (z_i / f) C_i,  z_i ~ Bernoulli(f),   E[C̃] = C,
// through LikelihoodModel::CurvatureWithRowScales (GLMs: the weighted Gram
// kernel skips rows of weight 0, so the cost is O(Np) for the weights plus
// O(fNp²) instead of O(Np²)). The solver's steps still use the exact
// gradient, so the fixed point is the exact optimum; the noisier curvature
// only slows the rate. A new subset per call from one seeded stream:
// reproducible from the seed.
class SubsampledCurvature final : public ModelCurvature {
 public:
  SubsampledCurvature(const LikelihoodModel& model, CurvatureType type,
                      double fraction, std::uint64_t seed)
      : ModelCurvature(model), type_(type), fraction_(fraction), rng_(seed) {}
  CurvatureType type() const override { return type_; }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;

  CurvatureType type_;  // kExpectedFisher or kHessian
  double fraction_;
  std::mt19937_64 rng_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_SUBSAMPLED_CURVATURE_H_
