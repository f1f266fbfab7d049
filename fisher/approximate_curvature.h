#ifndef FISHEROPT_FISHER_APPROXIMATE_CURVATURE_H_
#define FISHEROPT_FISHER_APPROXIMATE_CURVATURE_H_

#include <cstdint>
#include <random>

#include "fisher/curvature.h"

namespace fisheropt {

// A cheaper-than-exact expected Fisher or Hessian, through
// LikelihoodModel::ApproximateCurvature (GLMs and softmax: the weighted Gram
// kernel):
//
// - row-subsampled (CurvatureOptions::subsample, when
//   f = SubsampleOptions::Fraction(N, p) < 1): each Compute() keeps every
//   sample with probability f and weighs the kept ones by 1/f,
//   C̃ = Σ_i (z_i / f) C_i,  z_i ~ Bernoulli(f),  E[C̃] = C. The weights are
//   computed for the kept rows only and the kernel skips rows of weight 0,
//   so the cost is O(N) bookkeeping (the scales, scans of the weights) plus
//   O(fNp²) instead of O(Np²). A new subset per call from one seeded
//   stream: reproducible from the seed.
// - single precision (CurvatureOptions::precision = kSingle): the Gram
//   kernel's rank-k updates in float, about twice the flop rate, relative
//   error ~1e-7 per entry.
//
// The solver's steps still use the exact (double) gradient, so the fixed
// point is the exact optimum; the approximate curvature only slows the rate.
class ApproximateCurvature final : public ModelCurvature {
 public:
  ApproximateCurvature(const LikelihoodModel& model, CurvatureType type,
                       double subsample_fraction, GramPrecision precision,
                       std::uint64_t seed)
      : ModelCurvature(model),
        type_(type),
        subsample_fraction_(subsample_fraction),
        precision_(precision),
        rng_(seed) {}
  CurvatureType type() const override { return type_; }
  std::string Approximation() const override;

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;

  CurvatureType type_;  // kExpectedFisher or kHessian
  double subsample_fraction_;
  GramPrecision precision_;
  std::mt19937_64 rng_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_APPROXIMATE_CURVATURE_H_
