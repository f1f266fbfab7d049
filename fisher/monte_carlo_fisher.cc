#include "fisher/monte_carlo_fisher.h"

namespace fisheropt {

bool MonteCarloFisher::DoCompute(const Eigen::VectorXd& theta,
                                 Eigen::MatrixXd* curvature) {
  const int p = model().NumParameters();
  curvature->setZero(p, p);
  RowMatrixXd sampled;
  Eigen::MatrixXd outer;
  for (int m = 0; m < num_samples_; ++m) {
    model().SampleResponses(theta, &rng_, &sampled);
    model().ScoreOuterProductSum(theta, sampled, &outer);
    *curvature += outer;
  }
  *curvature /= num_samples_;
  return true;
}

bool EstimateMonteCarloFisher(const LikelihoodModel& model,
                              const Eigen::VectorXd& theta, int num_draws,
                              std::uint64_t seed,
                              MonteCarloFisherEstimate* estimate,
                              std::string* error) {
  if (num_draws < 2) {
    if (error != nullptr) {
      *error =
          "EstimateMonteCarloFisher: num_draws = " + std::to_string(num_draws) +
          " must be >= 2 to estimate a standard error";
    }
    return false;
  }
  const int p = model.NumParameters();
  RandomEngine rng(seed);
  RowMatrixXd sampled;
  Eigen::MatrixXd outer;
  // Welford's running mean and sum of squared deviations, entrywise.
  Eigen::MatrixXd mean = Eigen::MatrixXd::Zero(p, p);
  Eigen::MatrixXd squares = Eigen::MatrixXd::Zero(p, p);
  for (int m = 0; m < num_draws; ++m) {
    model.SampleResponses(theta, &rng, &sampled);
    model.ScoreOuterProductSum(theta, sampled, &outer);
    const Eigen::MatrixXd deviation = outer - mean;
    mean += deviation / (m + 1.0);
    squares += deviation.cwiseProduct(outer - mean);
  }
  estimate->mean = mean;
  estimate->standard_error =
      (squares / ((num_draws - 1.0) * num_draws)).cwiseSqrt();
  estimate->num_draws = num_draws;
  if (!mean.allFinite() || !estimate->standard_error.allFinite()) {
    if (error != nullptr) {
      *error = "EstimateMonteCarloFisher: non-finite scores at this point";
    }
    return false;
  }
  return true;
}

}  // namespace fisheropt
