#ifndef FISHEROPT_FISHER_OBSERVED_INFORMATION_H_
#define FISHEROPT_FISHER_OBSERVED_INFORMATION_H_

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = ∇²L(θ) = −Σ_i ∇²ℓ_i(θ), the observed information, from the model's
// closed form. With it the solver is Newton's method. Equal to the expected
// Fisher for canonical-link GLMs; may be indefinite otherwise.
class ObservedInformation final : public ModelCurvature {
 public:
  explicit ObservedInformation(const LikelihoodModel& model)
      : ModelCurvature(model) {}
  CurvatureType type() const override { return CurvatureType::kHessian; }

  // The model's fast product (GLMs) or the dense default.
  bool Apply(const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
             Eigen::VectorXd* out, std::string* error) override {
    return ApplyWith(LikelihoodModel::CurvatureProduct::kHessian, theta, v, out,
                     error);
  }
  bool Diagonal(const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                std::string* error) override {
    return DiagonalWith(LikelihoodModel::CurvatureProduct::kHessian, theta, out,
                        error);
  }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_OBSERVED_INFORMATION_H_
