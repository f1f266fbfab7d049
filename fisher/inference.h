#ifndef FISHEROPT_FISHER_INFERENCE_H_
#define FISHEROPT_FISHER_INFERENCE_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"

namespace fisheropt {

// Wald inference at an estimate θ̂ (normally the MLE), on the summed scale of
// L(θ) = −Σ log p, so that the inverse curvatures below ARE covariances:
//
//   kInverseFisher               Cov = φ F(θ̂)⁻¹        (R's glm vcov)
//   kInverseObservedInformation  Cov = φ H(θ̂)⁻¹        (H = ∇²L)
//   kSandwich                    Cov = H⁻¹ F_emp H⁻¹   (HC0, robust to a
//                                 misspecified model; F_emp = Σ s_i s_iᵀ)
//
// with φ the dispersion (1 for Bernoulli and Poisson; σ̂² for a Gaussian
// model whose scale was profiled out). Everything is computed from
// factorizations and solves (H⁻¹ F_emp H⁻¹ = H⁻¹ (H⁻¹ F_emp)ᵀ: two solves).
//
// Rank deficiency: the "bread" (F, H) is factored by a Cholesky that visits
// the parameters in θ order and sets aside every parameter whose pivot — the
// part of its curvature that the earlier kept parameters do not explain — is
// at most aliasing_tolerance times its diagonal. Those parameters are ALIASED:
// not identified from the data (e.g. a column that is a linear combination of
// earlier ones). They are reported by name and get NaN ("NA") everywhere, as
// R's glm reports them; the rest is inverted on the non-aliased subspace.
// In θ order, the later of two collinear columns is the aliased one, as in R.
enum class CovarianceSource {
  kInverseFisher,
  kInverseObservedInformation,
  kSandwich,
};

// "inverse_fisher", "inverse_observed_information", "sandwich".
std::string ToString(CovarianceSource source);
bool FromString(const std::string& name, CovarianceSource* source);

struct InferenceOptions {
  // Where the covariance comes from; the default is what R's glm reports.
  CovarianceSource covariance_source = CovarianceSource::kInverseFisher;
  // Confidence level of the intervals, in (0, 1).
  double confidence_level = 0.95;
  // φ multiplies the model-based covariances (not the sandwich, which
  // estimates the scale itself). Must be > 0.
  double dispersion = 1.0;
  // Residual degrees of freedom of a Student t reference distribution (t
  // value, Pr(>|t|), t quantiles in the intervals), as R uses for an
  // estimated dispersion; 0 (default) means the normal reference (z).
  double degrees_of_freedom = 0.0;
  // A parameter is aliased when its Cholesky pivot is at most this times its
  // diagonal curvature, i.e. when the earlier parameters explain all but a
  // fraction √tol of its column norm (1e-5 at the default). R's QR of X uses
  // 1e-7 on the column norm; the curvature XᵀWX squares the conditioning,
  // so the threshold is on the squared scale and looser than round-off.
  double aliasing_tolerance = 1e-10;

  bool IsValid(std::string* error) const;
};

struct CoefficientInference {
  std::string name;
  double estimate = 0.0;        // NaN when aliased
  double standard_error = 0.0;  // NaN when aliased
  double statistic = 0.0;       // estimate / standard error (z or t)
  double p_value = 0.0;         // two-sided
  double lower = 0.0;           // confidence interval at the chosen level
  double upper = 0.0;
  bool aliased = false;
};

struct InferenceResult {
  CovarianceSource covariance_source = CovarianceSource::kInverseFisher;
  double confidence_level = 0.95;
  double degrees_of_freedom = 0.0;  // 0: normal reference
  std::vector<CoefficientInference> coefficients;
  // p × p covariance of θ̂; rows and columns of aliased parameters are NaN.
  Eigen::MatrixXd covariance;
  // Names of the aliased parameters, in θ order.
  std::vector<std::string> aliased;

  // "z" or "t".
  std::string StatisticName() const {
    return degrees_of_freedom > 0.0 ? "t" : "z";
  }
};

// Inference for a model at θ̂: takes F (ExpectedFisher), H (Hessian) and
// F_emp (ScoreOuterProductSum at the observed responses) from the model as
// the source needs them. Returns false with a message when the options are
// invalid, the model lacks the closed form the source needs, or the bread is
// not positive definite on the non-aliased parameters (θ̂ is not a minimum).
bool ComputeInference(const InferenceOptions& options,
                      const LikelihoodModel& model,
                      const Eigen::VectorXd& theta, InferenceResult* result,
                      std::string* error);

// The same from matrices: `bread` is F or H (p × p, on the summed scale);
// `meat` is F_emp for kSandwich and ignored (may be null) otherwise.
bool ComputeInferenceFromCurvatures(
    const InferenceOptions& options, const std::vector<std::string>& names,
    const Eigen::VectorXd& theta, const Eigen::MatrixXd& bread,
    const Eigen::MatrixXd* meat, InferenceResult* result, std::string* error);

// The same from a covariance already computed (e.g. mapped from another
// parametrization): standard errors, statistics, p-values and intervals;
// options.dispersion is not applied (the covariance carries it). A
// parameter whose estimate is NaN is reported as aliased (NA everywhere); one
// with an estimate but a NaN variance shows its estimate and NA for the rest
// (standard errors not available).
//
// `scaled_covariance` is the covariance of (s_j θ_j) for the positive
// scales s (`parameter_scale`; all ones when null): SE_j = √C_jj / s_j and
// the statistic s_j θ_j / √C_jj are computed on that scale, so that a
// parameter of a column of 1e160s gets its standard error to full
// precision although its variance (~1e-320) is below the normal range.
// result->covariance is S⁻¹CS⁻¹ (which may underflow in such cases).
bool ComputeInferenceFromCovariance(const InferenceOptions& options,
                                    const std::vector<std::string>& names,
                                    const Eigen::VectorXd& theta,
                                    const Eigen::MatrixXd& scaled_covariance,
                                    const Eigen::VectorXd* parameter_scale,
                                    InferenceResult* result,
                                    std::string* error);

// An R-style coefficient table:
//
//               Estimate Std. Error z value Pr(>|z|)
//   (Intercept)  0.37378    0.35956   1.040   0.2985
//   x4                NA         NA      NA       NA
//
// with significance stars and their legend when `stars` is true, the
// confidence intervals when `intervals` is true, and R's note on aliased
// coefficients ("(1 not defined because of singularities)").
std::string FormatCoefficientTable(const InferenceResult& result,
                                   bool stars = true, bool intervals = false);

}  // namespace fisheropt

#endif  // FISHEROPT_FISHER_INFERENCE_H_
