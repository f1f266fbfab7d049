#ifndef FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_
#define FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_

#include <cstdint>

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = (1/M) Σ_{m=1..M} Σ_i s_i(ỹ_im) s_i(ỹ_im)ᵀ with ỹ_im ~ p(· | x_i, θ):
// the covariance of the score estimated by sampling responses from the model
// itself. Unbiased for the expected Fisher F(θ), PSD, and available for any
// model that can sample and score; its error shrinks like 1/√M. Draws come
// from one seeded stream that successive Compute() calls continue.
class MonteCarloFisher final : public ModelCurvature {
 public:
  MonteCarloFisher(const LikelihoodModel& model, int num_samples,
                   std::uint64_t seed)
      : ModelCurvature(model), num_samples_(num_samples), rng_(seed) {}
  CurvatureType type() const override {
    return CurvatureType::kMonteCarloFisher;
  }
  int num_samples() const { return num_samples_; }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;

  int num_samples_;
  RandomEngine rng_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_
