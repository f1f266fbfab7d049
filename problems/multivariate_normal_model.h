#ifndef FISHEROPT_PROBLEMS_MULTIVARIATE_NORMAL_MODEL_H_
#define FISHEROPT_PROBLEMS_MULTIVARIATE_NORMAL_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"

namespace fisheropt {

// x_i ~ N(μ, Σ) in d dimensions; the unknowns are the mean and covariance.
//
// Parametrization (unconstrained): the precision Λ = Σ⁻¹ = L Lᵀ with L lower
// triangular and a positive diagonal, stored on the log scale:
//
//   θ = (μ_1..μ_d,  then column by column the lower triangle of L:
//        a_k = log L_kk on the diagonal, L_jk (j > k) below it),
//   p = d + d(d+1)/2.
//
// With r = x − μ and z = Lᵀ r the log-density is
//   ℓ = −(d/2) log 2π + Σ_k a_k − ½ zᵀz,
// polynomial in L, which makes score, Hessian and Fisher closed forms:
//   ∂ℓ/∂μ = Λ r,   ∂ℓ/∂L_jk = −r_j z_k (j > k),   ∂ℓ/∂a_k = 1 − r_k z_k L_kk.
// Value, gradient and Hessian of the summed NLL use the sufficient statistics
// (x̄ and the scatter matrix), so after construction they cost O(d³), not
// O(N d²). The MLE is closed form: μ̂ = x̄, Σ̂ = scatter / N.
class MultivariateNormalModel final : public LikelihoodModel {
 public:
  // `samples` is N × d, one observation per row. Requires N > d, finite
  // values and a positive-definite scatter matrix (no collinear columns).
  // The rule is N > d, not N ≥ d + d(d+1)/2 (the parameter count): the
  // scatter of N centred samples has rank at most N − 1, so N ≤ d makes it
  // singular and the likelihood unbounded, while N > d samples in general
  // position give a positive-definite scatter and the closed-form MLE
  // Σ̂ = scatter / N. Each sample is a d-vector, so N > d samples carry
  // N·d > d² scalars, more than the d + d(d+1)/2 parameters. The message
  // names both counts ("3 samples but 3 variables: ...").
  static std::unique_ptr<MultivariateNormalModel> Create(RowMatrixXd samples,
                                                         std::string* error);

  int Dimension() const { return dimension_; }

  // θ for a given mean and covariance (Σ must be positive definite).
  static Eigen::VectorXd ParametersFromMoments(
      const Eigen::VectorXd& mean, const Eigen::MatrixXd& covariance);
  // The mean and covariance that θ encodes.
  Eigen::VectorXd Mean(const Eigen::VectorXd& theta) const;
  Eigen::MatrixXd Covariance(const Eigen::VectorXd& theta) const;
  // The closed-form MLE θ̂ (sample mean, scatter divided by N).
  Eigen::VectorXd MaximumLikelihoodParameters() const;

  // Objective.
  int NumParameters() const override;
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // LikelihoodModel.
  std::string Name() const override { return "mvn"; }
  int NumSamples() const override { return static_cast<int>(samples_.rows()); }
  int ResponseDimension() const override { return dimension_; }
  const RowMatrixXd& ObservedResponses() const override { return samples_; }
  std::vector<std::string> ParameterNames() const override;
  Capabilities GetCapabilities() const override { return {true, true}; }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override;
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override;
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override;
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override;
  // Two groups: "mean" (μ, d parameters) and "precision factor" (L).
  std::vector<ParameterGroup> ParameterGroups() const override;
  // The Hessian from the moments of the given responses (O(N d²)).
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override;
  // N · KL(N(μ1, Σ1) ‖ N(μ2, Σ2)) = (N/2)[tr(Λ2 Σ1) + (μ2 − μ1)ᵀ Λ2 (μ2 − μ1)
  //   − d + log det Σ2 − log det Σ1], from the factors (no inverse of Λ).
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override;

 private:
  explicit MultivariateNormalModel(RowMatrixXd samples);

  // Index in θ of the lower-triangle entry (j, k), j ≥ k.
  int FactorIndex(int j, int k) const;
  // L (lower triangular) from θ.
  Eigen::MatrixXd PrecisionFactor(const Eigen::VectorXd& theta) const;
  // log det L = Σ_k a_k.
  double LogDetFactor(const Eigen::VectorXd& theta) const;
  // The curvature shared by the Hessian and the expected Fisher. Given
  //   second = Σ_i r_i r_iᵀ (d × d), first = Σ_i r_i,
  //   diagonal_gradient_k = Σ_i ∂(½‖z_i‖²)/∂L_kk · L_kk
  // it returns ∇²θ of Σ_i ½‖z_i‖² − N Σ a_k; the Hessian plugs in the data's
  // moments, the expected Fisher their expectations under θ.
  Eigen::MatrixXd CurvatureFromMoments(
      const Eigen::MatrixXd& factor, const Eigen::MatrixXd& second,
      const Eigen::VectorXd& first,
      const Eigen::VectorXd& diagonal_gradient) const;

  int dimension_;
  RowMatrixXd samples_;
  Eigen::VectorXd sample_mean_;
  Eigen::MatrixXd scatter_;  // Σ_i (x_i − x̄)(x_i − x̄)ᵀ.
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_MULTIVARIATE_NORMAL_MODEL_H_
