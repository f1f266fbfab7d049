#ifndef FISHEROPT_FISHER_GAUSS_NEWTON_H_
#define FISHEROPT_FISHER_GAUSS_NEWTON_H_

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = the generalized Gauss–Newton matrix JᵀHJ of the model's output/loss
// split (LikelihoodModel::GaussNewton): the Hessian with the curvature of the
// outputs dropped. For nonlinear least squares that is JᵀJ/σ² (Gauss–Newton);
// for GLMs, whose output η = Xβ is linear, it is the Hessian itself.
class GaussNewtonCurvature final : public ModelCurvature {
 public:
  explicit GaussNewtonCurvature(const LikelihoodModel& model)
      : ModelCurvature(model) {}
  CurvatureType type() const override { return CurvatureType::kGaussNewton; }

  // The model's least-squares factor, where it has one (nonlinear
  // regression: C = JᵀJ).
  bool LeastSquaresFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                          Eigen::VectorXd* residuals) override {
    return model().GaussNewtonFactor(theta, factor, residuals);
  }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_GAUSS_NEWTON_H_
