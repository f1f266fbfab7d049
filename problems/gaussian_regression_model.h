#ifndef FISHEROPT_PROBLEMS_GAUSSIAN_REGRESSION_MODEL_H_
#define FISHEROPT_PROBLEMS_GAUSSIAN_REGRESSION_MODEL_H_

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "problems/dataset.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// Linear regression with unknown noise, y_i = x_iᵀβ + σ ε_i, ε_i ~ N(0, 1),
// parametrized θ = (β, s) with s = log σ so that the problem is
// unconstrained. With r = y − Xβ and RSS = rᵀr (summed scale, see
// objective.h):
//
//   ℓ_i = −½ log 2π − s − r_i² / (2σ²)
//   L(θ) = (n/2) log 2π + n s + RSS / (2σ²)
//   ∇_β L = −Xᵀr / σ²,          ∂L/∂s = n − RSS / σ²
//   Hessian  = [ XᵀX/σ²     2Xᵀr/σ² ]      expected Fisher = [ XᵀX/σ²  0  ]
//              [ 2rᵀX/σ²    2RSS/σ² ]                        [   0     2n ]
//
// The Hessian equals the Fisher only where Xᵀr = 0 and RSS = nσ², i.e. at the
// MLE β̂ = (XᵀX)⁻¹Xᵀy, σ̂² = RSS(β̂)/n. Value and gradient come from one
// chunked pass over the data; XᵀX is formed once at construction. Dataset
// weights and offset are not supported (Create refuses them).
class GaussianRegressionModel final : public LikelihoodModel {
 public:
  // Validates the data; refuses weights and offset, and fewer observations
  // than the p + 1 parameters (β and log σ): with N ≤ p the least-squares
  // fit is exact (RSS = 0), so σ̂ = 0 and log σ has no MLE. The message
  // names both counts ("3 observations but 4 parameters: ...").
  static std::unique_ptr<GaussianRegressionModel> Create(Dataset data,
                                                         std::string* error);

  // The closed-form MLE θ̂ = (β̂, log σ̂): β̂ by a column-pivoted QR solve of
  // Xβ ≈ y (least squares), σ̂² = RSS/n. Returns false with a message when X
  // is rank deficient (naming the rank) or RSS ≤ 1e-28‖y‖² (an exact fit:
  // σ̂ = 0, log σ̂ = −∞).
  static bool MaximumLikelihoodParameters(const Dataset& data,
                                          Eigen::VectorXd* theta,
                                          std::string* error);

  const Dataset& data() const { return data_; }

  // Objective.
  int NumParameters() const override { return data_.NumFeatures() + 1; }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // LikelihoodModel.
  std::string Name() const override { return "gaussian-regression"; }
  int NumSamples() const override { return data_.NumSamples(); }
  int ResponseDimension() const override { return 1; }
  const RowMatrixXd& ObservedResponses() const override { return responses_; }
  // The column names, then "log(sigma)".
  std::vector<std::string> ParameterNames() const override;
  Capabilities GetCapabilities() const override { return {true, true}; }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override;
  // s_i = (r_i x_i / σ², r_i²/σ² − 1).
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override;
  // y_i = x_iᵀβ + σ ε_i.
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override;
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override;

 private:
  explicit GaussianRegressionModel(Dataset data);

  // RSS and Xᵀr at β in one chunked pass (x_transpose_r may be null).
  void Residuals(const Eigen::VectorXd& beta, double* rss,
                 Eigen::VectorXd* x_transpose_r) const;

  Dataset data_;
  RowMatrixXd responses_;  // y as an N × 1 response matrix.
  Eigen::MatrixXd gram_;   // XᵀX
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GAUSSIAN_REGRESSION_MODEL_H_
