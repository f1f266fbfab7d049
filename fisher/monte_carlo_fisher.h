#ifndef FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_
#define FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_

#include <cstdint>
#include <string>

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = (1/M) Σ_{m=1..M} Σ_i s_i(ỹ_im) s_i(ỹ_im)ᵀ with ỹ_im ~ p(· | x_i, θ):
// the covariance of the score estimated by sampling responses from the model
// itself. Unbiased for the expected Fisher F(θ), PSD, and available for any
// model that can sample and score; its error shrinks like 1/√M. Each of the
// M response sets of a Compute() takes one key from a seeded stream that
// successive calls continue, and row i's response is drawn from
// RowRandomEngine(key, i) (LikelihoodModel::SampleResponses,
// problems/row_random.h); the outer products are summed in a fixed order.
// So the matrix is a function of (seed, call, draw, row) alone: bitwise the
// same for every thread count.
class MonteCarloFisher final : public ModelCurvature {
 public:
  MonteCarloFisher(const LikelihoodModel& model, int num_samples,
                   std::uint64_t seed)
      : ModelCurvature(model), num_samples_(num_samples), rng_(seed) {}
  CurvatureType type() const override {
    return CurvatureType::kMonteCarloFisher;
  }
  int num_samples() const { return num_samples_; }
  int MonteCarloSamples() const override { return num_samples_; }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;

  int num_samples_;
  RandomEngine rng_;
};

// A Monte Carlo estimate of F(θ) with its entrywise standard error.
struct MonteCarloFisherEstimate {
  // F̂ = (1/M) Σ_m G_m, G_m = Σ_i s_i(ỹ_im) s_i(ỹ_im)ᵀ for draw m (p × p).
  Eigen::MatrixXd mean;
  // Monte Carlo standard error of each entry of F̂: the sample standard
  // deviation of the G_m entries over √M. Shrinks like 1/√M.
  Eigen::MatrixXd standard_error;
  int num_draws = 0;
};

// Draws M response sets from the model at θ (keys from one seeded stream, so
// the same seed gives the same estimate, for any thread count) and returns
// F̂ with its standard error. The
// mean is the matrix MonteCarloFisher(model, M, seed) computes first. Returns
// false with a message when M < 2 (no standard error from one draw) or the
// result is not finite.
bool EstimateMonteCarloFisher(const LikelihoodModel& model,
                              const Eigen::VectorXd& theta, int num_draws,
                              std::uint64_t seed,
                              MonteCarloFisherEstimate* estimate,
                              std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_MONTE_CARLO_FISHER_H_
