#ifndef FISHEROPT_PROBLEMS_RESIDUAL_FORM_H_
#define FISHEROPT_PROBLEMS_RESIDUAL_FORM_H_

#include <Eigen/Core>

namespace fisheropt {

// A model whose objective is a least-squares cost ½ Σ_i r_i(θ)², which is
// what a trust-region least-squares solver (Ceres' Levenberg–Marquardt and
// dogleg, optim/baselines/ceres_trust_region_solver.h) needs.
//
// Scale: for a Gaussian model with unit noise, ½ Σ r_i² is the summed
// negative log-likelihood up to the constant (N/2) log 2π, so Ceres' cost and
// our L are the same number (see NonlinearRegressionModel).
class ResidualForm {
 public:
  virtual ~ResidualForm() = default;

  virtual int NumParameters() const = 0;
  virtual int NumResiduals() const = 0;

  // r(θ) (NumResiduals()) and, when jacobian is not null, its Jacobian
  // ∂r/∂θ (NumResiduals() × NumParameters()) — Ceres' convention: the
  // Jacobian of the residual, not of the model function. Returns false when
  // a value is not finite.
  virtual bool Residuals(const Eigen::VectorXd& theta,
                         Eigen::VectorXd* residuals,
                         Eigen::MatrixXd* jacobian) const = 0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_RESIDUAL_FORM_H_
