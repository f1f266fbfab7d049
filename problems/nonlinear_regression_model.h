#ifndef FISHEROPT_PROBLEMS_NONLINEAR_REGRESSION_MODEL_H_
#define FISHEROPT_PROBLEMS_NONLINEAR_REGRESSION_MODEL_H_

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "linalg/types.h"
#include "problems/likelihood_model.h"
#include "problems/residual_form.h"

namespace fisheropt {

// A model function f(x; β) evaluated on a block of predictor rows, with its
// Jacobian ∂f_i/∂β_j. Type-erased: callers see no templates. Write one with
// JetRegressionFunction (problems/jet_regression_function.h).
class RegressionFunction {
 public:
  virtual ~RegressionFunction() = default;
  virtual int NumParameters() const = 0;
  virtual int NumPredictors() const = 0;
  // values_i = f(x_i; b) for every row of x; when jacobian is not null,
  // jacobian(i, j) = ∂f(x_i; b)/∂b_j. Returns false when a value or a
  // derivative is not finite.
  virtual bool Evaluate(const Eigen::Ref<const RowMatrixXd>& x,
                        const Eigen::VectorXd& b, Eigen::VectorXd* values,
                        Eigen::MatrixXd* jacobian) const = 0;
};

// Nonlinear regression y_i = f(x_i; β) + ε_i, ε_i ~ N(0, 1), with θ = β.
//
// σ is FIXED at 1, so the summed negative log-likelihood is
//   −Σ log p(y_i | x_i, β) = ½ Σ r_i² + (N/2) log 2π,  r_i = y_i − f(x_i; β),
// and Evaluate() returns L(β) = ½ Σ r_i² WITHOUT the constant: exactly Ceres'
// least-squares cost, so Ceres' and our costs are the same number. The MLE
// of β does not depend on σ; LogLikelihoods() includes the constant (it is a
// log density).
//
// With J_ij = ∂f(x_i; β)/∂β_j:
//   ∇L = −Jᵀr,   score s_i = ∇β log p = r_i J_i (at any responses),
//   expected Fisher F = Σ E[s_i s_iᵀ] = JᵀJ  (E r_i² = 1): the Gauss–Newton
//   matrix. There is no closed-form Hessian (it needs ∇²f; Capabilities).
// Ceres' residual form (ResidualForm): r = y − f and ∂r/∂β = −J.
class NonlinearRegressionModel final : public LikelihoodModel,
                                       public ResidualForm {
 public:
  // predictors: N × function->NumPredictors(); responses: N. Requires
  // N ≥ 1, matching shapes, finite data, one name per parameter (empty:
  // "b1", "b2", ...), and N ≥ p: with fewer observations than parameters
  // the N × p Jacobian has rank below p, so JᵀJ (the Fisher) is singular
  // everywhere and the least-squares solution is not unique. The message
  // then names both counts ("3 observations but 4 parameters: ...").
  static std::unique_ptr<NonlinearRegressionModel> Create(
      std::string name, std::unique_ptr<RegressionFunction> function,
      RowMatrixXd predictors, Eigen::VectorXd responses,
      std::vector<std::string> parameter_names, std::string* error);

  const RowMatrixXd& Predictors() const { return predictors_; }
  // f(x_i; β) for every sample (false when not finite).
  bool Predict(const Eigen::VectorXd& theta, Eigen::VectorXd* values) const;
  // Σ r_i² (the residual sum of squares NIST certifies; twice L).
  bool ResidualSumOfSquares(const Eigen::VectorXd& theta, double* rss) const;

  // Objective / ResidualForm.
  int NumParameters() const override;
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // ResidualForm.
  int NumResiduals() const override { return NumSamples(); }
  bool Residuals(const Eigen::VectorXd& theta, Eigen::VectorXd* residuals,
                 Eigen::MatrixXd* jacobian) const override;

  // LikelihoodModel.
  std::string Name() const override { return name_; }
  int NumSamples() const override {
    return static_cast<int>(responses_.rows());
  }
  int ResponseDimension() const override { return 1; }
  const RowMatrixXd& ObservedResponses() const override { return responses_; }
  std::vector<std::string> ParameterNames() const override {
    return parameter_names_;
  }
  Capabilities GetCapabilities() const override { return {true, false, true}; }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override;
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override;
  // ỹ_i = f(x_i; β) + N(0, 1).
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override;
  // The Gauss–Newton matrix JᵀJ (σ = 1), which for Gaussian noise is also
  // the expected Fisher.
  bool GaussNewton(const Eigen::VectorXd& theta,
                   Eigen::MatrixXd* gauss_newton) const override {
    return ExpectedFisher(theta, gauss_newton);
  }
  // JᵀJ (false when f or J is not finite at θ).
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  std::unique_ptr<ResidualForm> CreateResidualForm() const override {
    return std::make_unique<ResidualFormReference>(*this);
  }
  // factor = ∂r/∂β = −J and residuals r = y − f: JᵀJ and ∇L = −Jᵀr.
  bool GaussNewtonFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                         Eigen::VectorXd* residuals) const override {
    return Residuals(theta, residuals, factor);
  }
  // Σ_i KL(N(f_i(θ), 1) ‖ N(f_i(θ2), 1)) = ½ Σ (f_i(θ) − f_i(θ2))².
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override;

 private:
  NonlinearRegressionModel() = default;

  std::string name_;
  std::unique_ptr<RegressionFunction> function_;
  RowMatrixXd predictors_;
  RowMatrixXd responses_;  // N × 1
  std::vector<std::string> parameter_names_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_NONLINEAR_REGRESSION_MODEL_H_
