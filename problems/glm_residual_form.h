#ifndef FISHEROPT_PROBLEMS_GLM_RESIDUAL_FORM_H_
#define FISHEROPT_PROBLEMS_GLM_RESIDUAL_FORM_H_

#include <Eigen/Core>

#include "problems/glm_model.h"
#include "problems/residual_form.h"

namespace fisheropt {

// A GLM as a least-squares problem, so that Ceres' trust-region solvers
// (Levenberg–Marquardt, dogleg) can run on it as baselines. One residual per
// sample, plus one per coefficient when the model has a ridge penalty
// (r = √(λD_j) β_j):
//   Bernoulli families (logistic, probit, cloglog): r_i = √(2·nll_i) with
//     nll_i = −w_i ℓ_i ≥ 0, so ½Σr² is the summed NLL itself;
//   Poisson and Gaussian: the signed deviance residuals
//     r_i = sign(y_i − μ_i) √d_i, d_i = 2 w_i (ℓ_sat,i − ℓ_i) ≥ 0,
//     smooth where the fit is exact; ½Σr² = L − CostOffset(), the offset
//     −Σ w_i ℓ_sat,i (for the Gaussian, the ½ log 2π terms) a constant.
// (−ℓ_i itself can be negative for these two, so √(2·nll_i) would not
// exist.) The Jacobian is (dr_i/dη_i) x_i, with the limits at r_i = 0
// (Bernoulli: 0; Poisson: −√(w_i μ_i)). Values stay finite for |η| ≤ 700.
// The model's family must be one of the five presets (GlmFamily::type()).
// The model must outlive this view.
class GlmResidualForm final : public ResidualForm {
 public:
  explicit GlmResidualForm(const GlmModel& model) : model_(model) {}

  int NumParameters() const override { return model_.NumParameters(); }
  int NumResiduals() const override;
  bool Residuals(const Eigen::VectorXd& theta, Eigen::VectorXd* residuals,
                 Eigen::MatrixXd* jacobian) const override;
  double CostOffset() const override;

 private:
  const GlmModel& model_;
};

// r_i and dr_i/dη_i of one sample of the given family with prior weight w
// (the formulas above); exposed for tests.
void GlmResidual(GlmFamilyType family, const GlmFamily& glm_family, double eta,
                 double y, double weight, double* residual, double* derivative);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_RESIDUAL_FORM_H_
