#ifndef FISHEROPT_PROBLEMS_SOFTMAX_MODEL_H_
#define FISHEROPT_PROBLEMS_SOFTMAX_MODEL_H_

#include <memory>
#include <string>
#include <vector>

#include "problems/dataset.h"
#include "problems/likelihood_model.h"

namespace fisheropt {

// Multiclass softmax (multinomial logistic) regression over a design X
// (N × p) with labels y_i ∈ {0, …, K−1}, stored as an N × 1 response matrix
// of doubles (as the GLM stores its y).
//
// Class 0 is the reference (η_i0 = 0); the other K−1 classes have one block
// of p coefficients each, laid out class-major in θ:
//
//   θ = (β_1, β_2, …, β_{K−1}),  β_k ∈ ℝ^p,  η_ik = x_iᵀβ_k,
//   μ_ik = e^{η_ik} / (1 + Σ_{l≥1} e^{η_il}),   ℓ_i = η_{i,y_i} − log(1 + Σ_l
//   e^{η_il}).
//
// So θ[(k−1)p + j] is the coefficient of column j for class k, and
// parameter names are "class<k>:<column name>". Every function is finite for
// any finite η (log-sum-exp around the largest of 0, η_i1, …).
//
// The score of sample i is s_i = (e_{y_i} − μ_i) ⊗ x_i over the K−1
// non-reference classes. The link is canonical, so the Hessian of L equals
// the expected Fisher and does not depend on y:
//
//   F = Σ_i (diag(μ_i) − μ_i μ_iᵀ) ⊗ x_i x_iᵀ,
//   block (k, l) = Xᵀ diag(μ_k δ_kl − μ_k μ_l) X,
//
// each block built by the chunked weighted Gram kernel (linalg/), with no
// N × p(K−1) temporary. ParameterGroups() has one group per non-reference
// class, so the block-diagonal curvature keeps the blocks (k, k).
// For K = 2 the model is exactly logistic regression (GlmModel, logistic).
class SoftmaxModel final : public LikelihoodModel {
 public:
  // Validates the data (shapes, finite X, no prior weights or offset),
  // K ≥ 2 and the labels (integers in 0..K−1); returns nullptr with a message
  // naming the problem otherwise. Column names default to "x0", "x1", ….
  // Requires N ≥ p, the columns of X, not N ≥ p(K−1): each observation is a
  // categorical draw that carries K − 1 independent scores, and
  // F = Σ_i W_i ⊗ x_i x_iᵀ with every W_i positive definite is positive
  // definite exactly when X has full column rank, which needs N ≥ p; with
  // N < p it has rank at most N(K−1) < p(K−1). The message names both
  // counts ("3 observations but 4 coefficients per class: ...").
  static std::unique_ptr<SoftmaxModel> Create(Dataset data, int num_classes,
                                              std::string* error);

  const Dataset& data() const { return data_; }
  int NumClasses() const { return num_classes_; }
  int NumFeatures() const { return data_.NumFeatures(); }

  // Class probabilities μ (N × K, class 0 first; rows sum to 1).
  RowMatrixXd Probabilities(const Eigen::VectorXd& theta) const;

  // Objective.
  int NumParameters() const override {
    return (num_classes_ - 1) * data_.NumFeatures();
  }
  // One chunked pass: value and Xᵀ(μ − e_y).
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;
  // r_i = √(2·nll_i) (problems/sample_nll_residual_form.h): −log μ_{y_i} ≥ 0.
  std::unique_ptr<ResidualForm> CreateResidualForm() const override;

  // LikelihoodModel.
  std::string Name() const override { return "softmax"; }
  int NumSamples() const override { return data_.NumSamples(); }
  int ResponseDimension() const override { return 1; }
  const RowMatrixXd& ObservedResponses() const override { return responses_; }
  std::vector<std::string> ParameterNames() const override;
  Capabilities GetCapabilities() const override { return {true, true, true}; }
  // A response that is not a label in 0..K−1 gives ℓ = NaN (scores NaN).
  void LogLikelihoods(const Eigen::VectorXd& theta,
                      const RowMatrixXd& responses, int begin, int count,
                      Eigen::VectorXd* log_likelihoods) const override;
  void Scores(const Eigen::VectorXd& theta, const RowMatrixXd& responses,
              int begin, int count, Eigen::MatrixXd* scores) const override;
  // Block (k, l) = Xᵀ diag(r_k r_l) X with r_i = e_{y_i} − μ_i.
  void ScoreOuterProductSum(const Eigen::VectorXd& theta,
                            const RowMatrixXd& responses,
                            Eigen::MatrixXd* sum) const override;
  // Draws y_i from the categorical distribution μ_i.
  void SampleResponses(const Eigen::VectorXd& theta, RandomEngine* rng,
                       RowMatrixXd* responses) const override;
  bool ExpectedFisher(const Eigen::VectorXd& theta,
                      Eigen::MatrixXd* fisher) const override;
  // Canonical link: the Hessian is the expected Fisher.
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override {
    return ExpectedFisher(theta, hessian);
  }
  // η is linear in θ and −ℓ convex in η: the GGN is the Hessian.
  bool GaussNewton(const Eigen::VectorXd& theta,
                   Eigen::MatrixXd* gauss_newton) const override {
    return ExpectedFisher(theta, gauss_newton);
  }
  // The Hessian does not involve the responses.
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override;
  bool HessianIsResponseFree() const override { return true; }
  // Hessian and expected Fisher products, block k of the result
  // Xᵀ(μ_k ⊙ (u_k − Σ_l μ_l u_l)) with u_l = X v_l: one pass, no p × p
  // matrix. kScoreOuterProductSum: false.
  bool CurvatureApply(CurvatureProduct which, const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& v,
                      Eigen::VectorXd* product) const override;
  // The expected Fisher (= Hessian) with row scales and/or the
  // single-precision Gram kernel, block by block.
  bool ApproximateCurvature(CurvatureProduct which,
                            const Eigen::VectorXd& theta,
                            const CurvatureApproximation& approximation,
                            Eigen::MatrixXd* curvature) const override;
  bool SupportsApproximateCurvature() const override { return true; }
  // Hessian and expected Fisher: Σ_i μ_ik (1 − μ_ik) x_ij².
  bool CurvatureDiagonal(CurvatureProduct which, const Eigen::VectorXd& theta,
                         Eigen::VectorXd* diagonal) const override;
  // Σ_i Σ_k μ_ik (log μ_ik − log ν_ik) over all K classes.
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override;
  // One group "class<k>" of p parameters per non-reference class.
  std::vector<ParameterGroup> ParameterGroups() const override;

 private:
  SoftmaxModel(Dataset data, int num_classes);

  // Block (k, l), k, l in 1..K−1, of the symmetric p(K−1) × p(K−1) matrix is
  // Xᵀ diag(s ⊙ weights(k, l)) X (weights: N entries; s: the row scales,
  // all 1 when null); only k ≤ l is computed, in the given precision.
  template <typename BlockWeights>
  void BlockGram(BlockWeights weights, const Eigen::VectorXd* row_scales,
                 GramPrecision precision, Eigen::MatrixXd* result) const;
  // log μ for rows [begin, begin + count) (count × K, class 0 first).
  RowMatrixXd ChunkLogProbabilities(const Eigen::VectorXd& theta, long begin,
                                    long count) const;
  // r_i = e_{y_i} − μ_i over classes 1..K−1 (count × (K−1)); NaN rows where
  // the response is not a class label.
  Eigen::MatrixXd ChunkResiduals(const Eigen::VectorXd& theta,
                                 const RowMatrixXd& responses, long begin,
                                 long count) const;

  Dataset data_;
  int num_classes_;
  RowMatrixXd responses_;  // y as an N × 1 response matrix.
};

// Numerically stable helpers on one row of the K−1 non-reference linear
// predictors η (the reference class has η_0 = 0).
//
// log(1 + Σ_k e^{η_k}), finite for any finite η (log-sum-exp around the
// largest of 0, η_1, …, with log1p for the rest).
double SoftmaxLogNormalizer(const Eigen::Ref<const Eigen::RowVectorXd>& eta);
// The K class log-probabilities (class 0 first) into log_probabilities
// (resized to K) and returns the log normalizer.
double SoftmaxLogProbabilities(const Eigen::Ref<const Eigen::RowVectorXd>& eta,
                               Eigen::RowVectorXd* log_probabilities);
// Draws a class in 0..K−1 from K probabilities that sum to 1 (inverse CDF of
// one uniform draw).
int SampleCategorical(const Eigen::Ref<const Eigen::RowVectorXd>& probabilities,
                      RandomEngine* rng);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_SOFTMAX_MODEL_H_
