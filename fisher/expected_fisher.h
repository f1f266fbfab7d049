#ifndef FISHEROPT_FISHER_EXPECTED_FISHER_H_
#define FISHEROPT_FISHER_EXPECTED_FISHER_H_

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = F(θ) = Σ_i E_{y ~ p(·|x_i,θ)}[s_i s_iᵀ], the expected (true) Fisher
// information in the model's closed form. With it the solver is Fisher
// scoring (IRLS for GLMs).
class ExpectedFisherCurvature final : public ModelCurvature {
 public:
  explicit ExpectedFisherCurvature(const LikelihoodModel& model)
      : ModelCurvature(model) {}
  CurvatureType type() const override { return CurvatureType::kExpectedFisher; }

  // The model's least-squares factor, where it has one (nonlinear
  // regression: C = JᵀJ).
  bool LeastSquaresFactor(const Eigen::VectorXd& theta, Eigen::MatrixXd* factor,
                          Eigen::VectorXd* residuals) override {
    return model().GaussNewtonFactor(theta, factor, residuals);
  }

  // The model's fast product (GLMs) or the dense default.
  bool Apply(const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
             Eigen::VectorXd* out, std::string* error) override {
    return ApplyWith(LikelihoodModel::CurvatureProduct::kExpectedFisher, theta,
                     v, out, error);
  }
  bool Diagonal(const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                std::string* error) override {
    return DiagonalWith(LikelihoodModel::CurvatureProduct::kExpectedFisher,
                        theta, out, error);
  }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_EXPECTED_FISHER_H_
