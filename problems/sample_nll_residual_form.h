#ifndef FISHEROPT_PROBLEMS_SAMPLE_NLL_RESIDUAL_FORM_H_
#define FISHEROPT_PROBLEMS_SAMPLE_NLL_RESIDUAL_FORM_H_

#include <Eigen/Core>

#include "problems/likelihood_model.h"
#include "problems/residual_form.h"

namespace fisheropt {

// A model with discrete responses as a least-squares problem for Ceres'
// trust-region baselines: r_i = √(2·nll_i), nll_i = −ℓ_i ≥ 0 (a probability
// is at most 1), so ½Σr² is the summed NLL exactly (CostOffset() = 0). The
// Jacobian row is −s_iᵀ / r_i (s_i the score), and 0 where nll_i underflows
// to 0 (both vanish together). Only for models whose L is the plain sum of
// the per-sample NLLs (no prior weights, no penalty) and whose ℓ_i ≤ 0:
// softmax regression. The model must outlive this view.
class SampleNllResidualForm final : public ResidualForm {
 public:
  explicit SampleNllResidualForm(const LikelihoodModel& model)
      : model_(model) {}

  int NumParameters() const override { return model_.NumParameters(); }
  int NumResiduals() const override { return model_.NumSamples(); }
  bool Residuals(const Eigen::VectorXd& theta, Eigen::VectorXd* residuals,
                 Eigen::MatrixXd* jacobian) const override;

 private:
  const LikelihoodModel& model_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_SAMPLE_NLL_RESIDUAL_FORM_H_
