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

  // L(θ) − ½‖r(θ)‖², a constant: the solvers' costs are reported on the
  // summed-NLL scale by adding it (e.g. GLM deviance residuals, whose ½Σr²
  // is L minus the saturated model's NLL). 0 by default.
  virtual double CostOffset() const { return 0.0; }
};

// A ResidualForm that forwards to another one, which must outlive it (for
// models that are their own residual form).
class ResidualFormReference final : public ResidualForm {
 public:
  explicit ResidualFormReference(const ResidualForm& form) : form_(form) {}
  int NumParameters() const override { return form_.NumParameters(); }
  int NumResiduals() const override { return form_.NumResiduals(); }
  bool Residuals(const Eigen::VectorXd& theta, Eigen::VectorXd* residuals,
                 Eigen::MatrixXd* jacobian) const override {
    return form_.Residuals(theta, residuals, jacobian);
  }
  double CostOffset() const override { return form_.CostOffset(); }

 private:
  const ResidualForm& form_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_RESIDUAL_FORM_H_
