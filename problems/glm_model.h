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
//
// Prior weights and offset (Dataset::weights, Dataset::offset), as in R's
// glm(weights =, offset =): η_i = x_iᵀβ + o_i and
//
//   L(β) = −Σ_i w_i ℓ_i(η_i) + (λ/2) Σ_{j ≠ intercept} β_j²,
//
// so LogLikelihoods() returns w_i ℓ_i, Scores() returns w_i (dℓ_i/dη) x_i,
// the Hessian and expected Fisher use w_i times the family's weights. The
// weights are frequency weights: ScoreOuterProductSum() (the empirical and
// Monte Carlo Fisher) is Σ_i w_i (dℓ_i/dη)² x_i x_iᵀ — the sum over w_i
// copies of sample i, whose expectation under the model is the expected
// Fisher — not Σ_i (w_i s_i)(w_i s_i)ᵀ, whose expectation would carry w_i².
// The two agree when every weight is 0 or 1.
//
// The ridge penalty (GlmOptions::l2_penalty = λ) is not per-sample: it enters
// Evaluate() (value and gradient) and adds λD, D = diag(1, …, 0 at the
// intercept, …, 1), to EVERY curvature — the Hessian, the expected Fisher and
// ScoreOuterProductSum (hence the empirical and Monte Carlo Fisher) — since
// λD is the penalty's own Hessian, exactly known; LogLikelihoods() and
// Scores() are the unpenalized per-sample terms. F⁻¹ of the penalized model
// is then the usual ridge (Bayesian posterior) covariance approximation.
struct GlmOptions {
  // Sentinels for intercept_column.
  static constexpr int kDetectIntercept = -1;  // The "(Intercept)" column.
  static constexpr int kNoIntercept = -2;      // Penalize every coefficient.

  // Ridge penalty λ ≥ 0 on the non-intercept coefficients; 0 = plain MLE.
  double l2_penalty = 0.0;
  // The column of X left unpenalized: kDetectIntercept uses the column named
  // "(Intercept)" (none when no column has that name), kNoIntercept none,
  // otherwise a column index in [0, p).
  int intercept_column = kDetectIntercept;

  // Messages "GlmOptions::field = value must be ...". The upper bound of
  // intercept_column is checked by GlmModel::Create against the data.
  bool IsValid(std::string* error) const;
};

class GlmModel final : public LikelihoodModel {
 public:
  // Validates the data (shapes, finite values, weights ≥ 0, responses in the
  // family's support, at least as many rows as columns of X: with fewer, X
  // has rank below p and every curvature Xᵀdiag(w)X is singular) and the
  // options, and returns nullptr with a message naming the problem
  // otherwise ("3 observations but 4 coefficients: ...").
  static std::unique_ptr<GlmModel> Create(Dataset data, GlmFamilyType family,
                                          std::string* error);
  static std::unique_ptr<GlmModel> Create(Dataset data, GlmFamilyType family,
                                          const GlmOptions& options,
                                          std::string* error);
  // Any family (CreateGlmFamily(distribution, link, ...)); nullptr with a
  // message when `family` is null or the data or options are invalid.
  static std::unique_ptr<GlmModel> Create(Dataset data,
                                          std::unique_ptr<GlmFamily> family,
                                          const GlmOptions& options,
                                          std::string* error);

  const Dataset& data() const { return data_; }
  const GlmFamily& family() const { return *family_; }
  const GlmOptions& options() const { return options_; }
  // λ·D: the penalty's Hessian diagonal (zero at the intercept).
  const Eigen::VectorXd& PenaltyDiagonal() const { return penalty_diagonal_; }

  // The linear predictor η = Xβ + offset (N entries).
  Eigen::VectorXd LinearPredictor(const Eigen::VectorXd& beta) const;

  // The dispersion estimate φ̂ = Σ_i w_i (y_i − η_i)² / (n − p), n the number
  // of samples with w_i > 0 (R's summary.glm for the gaussian family). For
  // the gaussian family the curvatures are those of φ = 1, so the standard
  // errors are √(φ̂ · diag(F⁻¹)). Returns NaN when n ≤ p.
  double GaussianDispersion(const Eigen::VectorXd& beta) const;
  // R's summary.glm dispersion for any family: 1 for binomial and poisson
  // (!GlmFamily::HasDispersion()), otherwise the Pearson estimate
  // φ̂ = Σ_i w_i (y_i − μ_i)²/V(μ_i) / (n − p) over the n rows with w_i > 0
  // (GaussianDispersion for the gaussian identity family). The standard
  // errors are √(φ̂ · diag(F⁻¹)). NaN when n ≤ p.
  double Dispersion(const Eigen::VectorXd& beta) const;

  // Objective.
  int NumParameters() const override { return data_.NumFeatures(); }
  bool Evaluate(const Eigen::VectorXd& theta, double* value,
                Eigen::VectorXd* gradient) const override;

  // LikelihoodModel.
  // The family's name: the preset's ("logistic") or R's "Gamma(log)".
  std::string Name() const override { return family_->Name(); }
  int NumSamples() const override { return data_.NumSamples(); }
  int ResponseDimension() const override { return 1; }
  const RowMatrixXd& ObservedResponses() const override { return responses_; }
  std::vector<std::string> ParameterNames() const override;
  Capabilities GetCapabilities() const override { return {true, true, true}; }
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
  // η = Xβ is linear in β: the GGN is exactly the Hessian (PSD for every
  // family here, whose −ℓ is convex in η).
  bool GaussNewton(const Eigen::VectorXd& theta,
                   Eigen::MatrixXd* gauss_newton) const override {
    return Hessian(theta, gauss_newton);
  }
  bool Hessian(const Eigen::VectorXd& theta,
               Eigen::MatrixXd* hessian) const override;
  // Xᵀ(w ⊙ Xv) with the weights of `which` (linalg's WeightedGramApply).
  bool CurvatureApply(CurvatureProduct which, const Eigen::VectorXd& theta,
                      const Eigen::VectorXd& v,
                      Eigen::VectorXd* product) const override;
  // Xᵀ diag(s ⊙ w) X + λD in the requested precision: rows of scale 0 are
  // skipped, both when the weights are computed and by the kernel.
  bool ApproximateCurvature(CurvatureProduct which,
                            const Eigen::VectorXd& theta,
                            const CurvatureApproximation& approximation,
                            Eigen::MatrixXd* curvature) const override;
  bool SupportsApproximateCurvature() const override { return true; }
  // Σ_i w_i x_ij² for every column j.
  bool CurvatureDiagonal(CurvatureProduct which, const Eigen::VectorXd& theta,
                         Eigen::VectorXd* diagonal) const override;
  // Xᵀ diag(−d²ℓ/dη² at the given responses) X.
  bool HessianAtResponses(const Eigen::VectorXd& theta,
                          const RowMatrixXd& responses,
                          Eigen::MatrixXd* hessian) const override;
  // Bernoulli-logit: Σ_i KL(Bernoulli(σ(η_i)) ‖ Bernoulli(σ(η2_i))).
  // Other families: false.
  bool KlDivergence(const Eigen::VectorXd& theta, const Eigen::VectorXd& theta2,
                    double* kl) const override;
  // r_i = √(2·nll_i) (Bernoulli) or signed deviance residuals (Poisson,
  // Gaussian): problems/glm_residual_form.h. The five presets only; nullptr
  // for a generic family.
  std::unique_ptr<ResidualForm> CreateResidualForm() const override;
  // True for the canonical links (GlmFamily::IsCanonical): logistic,
  // Poisson-log, Gaussian-identity, Gamma-inverse, inverse.gaussian-1/mu^2.
  bool HessianIsResponseFree() const override;

 private:
  GlmModel(Dataset data, std::unique_ptr<GlmFamily> family,
           const GlmOptions& options, int intercept_column);

  // v_i *= w_i for i in [begin, begin + v.size()) when there are weights.
  void ApplyPriorWeights(int begin, Eigen::VectorXd* v) const;
  // C += λD.
  void AddPenaltyCurvature(Eigen::MatrixXd* curvature) const;
  // The per-sample weights w of Xᵀ diag(w) X for `which` at responses y
  // (offset and prior weights included; callers add the ridge term): the
  // one place every GLM curvature, dense or matrix-free, gets its weights.
  void CurvatureWeightsAt(CurvatureProduct which, const Eigen::VectorXd& theta,
                          const Eigen::Ref<const Eigen::VectorXd>& y,
                          Eigen::VectorXd* weights) const;
  // The same at the observed responses.
  void CurvatureWeights(CurvatureProduct which, const Eigen::VectorXd& theta,
                        Eigen::VectorXd* weights) const;
  // The same times row_scales, computed for the rows of nonzero scale only
  // (the others exactly 0), so that a row subset reads only its rows of X.
  void ScaledCurvatureWeights(CurvatureProduct which,
                              const Eigen::VectorXd& theta,
                              const Eigen::VectorXd& row_scales,
                              Eigen::VectorXd* weights) const;
  // The weights of `which` (before prior weights) at linear predictor η and
  // responses y, entry by entry.
  void WeightsAtPredictor(CurvatureProduct which, const Eigen::VectorXd& eta,
                          const Eigen::Ref<const Eigen::VectorXd>& y,
                          Eigen::VectorXd* weights) const;

  Dataset data_;
  GlmOptions options_;
  Eigen::VectorXd penalty_diagonal_;
  RowMatrixXd responses_;  // y as an N × 1 response matrix.
  std::unique_ptr<GlmFamily> family_;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_MODEL_H_
