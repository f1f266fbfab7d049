#ifndef FISHEROPT_PROBLEMS_GLM_MODEL_H_
#define FISHEROPT_PROBLEMS_GLM_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "problems/dataset.h"
#include "problems/glm_family.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// A generalized linear model over a design matrix X (N × p): θ = β and the
// linear predictor is η = Xβ. Every curvature is Xᵀ diag(w) X with per-sample
// weights from the family (see glm_family.h), computed by the chunked kernel
// in linalg/weighted_gram.h:
//
//   Hessian of L          w_i = −d²ℓ_i/dη²            (observed information)
//   expected Fisher       w_i = E[−d²ℓ_i/dη²]
//   Σ s_i s_iᵀ at y       w_i = (dℓ_i/dη at y)²       (empirical / Monte Carlo)
//
// Value and gradient come from one chunked pass over X.
class GlmModel final : public LikelihoodModel {
 public:
  // Validates the data (shapes, finite values, responses in the family's
  // support) and returns nullptr with a message naming the problem otherwise.
  static std::unique_ptr<GlmModel> Create(Dataset data, GlmFamilyType family,
                                          std::string* error);

  const Dataset& data() const { return data_; }
  const GlmFamily& family() const { return *family_; }

  // Objective.
  int NumParameters() const override { return data_.NumFeatures(); }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // LikelihoodModel.
  std::string Name() const override { return ToString(family_->type()); }
  int NumSamples() const override { return data_.NumSamples(); }
  int ResponseDimension() const override { return 1; }
  const RowMatrixXd& ObservedResponses() const override { return responses_; }
  std::vector<std::string> ParameterNames() const override;
  Capabilities GetCapabilities() const override { return {true, true}; }
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override;
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override;
  void ScoreOuterProductSum(const Eigen::VectorXd& theta,
                            const RowMatrixXd& responses,
                            Eigen::MatrixXd* sum) const override;
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override;
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override;
  // Xᵀ(w ⊙ Xv) with the weights of `which` (linalg's WeightedGramApply).
  bool CurvatureApply(CurvatureProduct which, const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& v,
                      Eigen::VectorXd* product) const override;
  // Σ_i w_i x_ij² for every column j.
  bool CurvatureDiagonal(CurvatureProduct which, const Eigen::VectorXd& theta,
                         Eigen::VectorXd* diagonal) const override;
  // Xᵀ diag(−d²ℓ/dη² at the given responses) X.
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override;
  // Bernoulli-logit: Σ_i KL(Bernoulli(σ(η_i)) ‖ Bernoulli(σ(η2_i))).
  // Other families: false.
  bool KlDivergence(const Eigen::VectorXd& theta,
                    const Eigen::VectorXd& theta2, double* kl) const override;
  // True for the canonical Bernoulli-logit family.
  bool HessianIsResponseFree() const override;

 private:
  // The per-sample weights w of Xᵀ diag(w) X for `which`.
  void CurvatureWeights(CurvatureProduct which, const Eigen::VectorXd& theta,
                        Eigen::VectorXd* weights) const;

  GlmModel(Dataset data, std::unique_ptr<GlmFamily> family);

  Dataset data_;
  RowMatrixXd responses_;  // y as an N × 1 response matrix.
  std::unique_ptr<GlmFamily> family_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_MODEL_H_
