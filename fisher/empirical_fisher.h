#ifndef FISHEROPT_FISHER_EMPIRICAL_FISHER_H_
#define FISHEROPT_FISHER_EMPIRICAL_FISHER_H_

#include "fisher/curvature.h"

namespace fisheropt {

// C(θ) = Σ_i s_i(y_i) s_i(y_i)ᵀ = SᵀS, the outer products of the scores at
// the OBSERVED responses (summed scale: N times the usual (1/N) Σ s_i s_iᵀ).
// It needs only first derivatives and is always PSD, but it is not the
// Fisher: it approximates F only near the optimum of a well-specified model,
// and away from it the squared residuals make it a poor curvature (Martens
// 2014, §11; Kunstner et al. 2019).
class EmpiricalFisher final : public ModelCurvature {
 public:
  explicit EmpiricalFisher(const LikelihoodModel& model)
      : ModelCurvature(model) {}
  CurvatureType type() const override {
    return CurvatureType::kEmpiricalFisher;
  }

  // The model's fast product (GLMs) or the dense default.
  bool Apply(const Eigen::VectorXd& theta, const Eigen::VectorXd& v,
             Eigen::VectorXd* out, std::string* error) override {
    return ApplyWith(LikelihoodModel::CurvatureProduct::kScoreOuterProductSum,
                     theta, v, out, error);
  }
  bool Diagonal(const Eigen::VectorXd& theta, Eigen::VectorXd* out,
                std::string* error) override {
    return DiagonalWith(
        LikelihoodModel::CurvatureProduct::kScoreOuterProductSum, theta, out,
        error);
  }

 private:
  bool DoCompute(const Eigen::VectorXd& theta,
                 Eigen::MatrixXd* curvature) override;
};

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_EMPIRICAL_FISHER_H_
