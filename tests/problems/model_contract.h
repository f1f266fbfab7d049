#ifndef FISHEROPT_TESTS_PROBLEMS_MODEL_CONTRACT_H_
#define FISHEROPT_TESTS_PROBLEMS_MODEL_CONTRACT_H_

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"

namespace fisheropt {
namespace testing {

// The contract of problems/likelihood_model.h, checked on one model at one θ
// by ExpectModelContract(). Every model test calls it once. The checks, by
// the names the report uses:
//
//   setup                 θ and the options fit the model; ℓ_i and s_i at
//                         the observed responses are finite (else nothing
//                         else runs)
//   structure             shapes, names, parameter groups; each capability
//                         flag agrees with what its closed form returns
//   value-and-gradient    L and ∇L against central differences of L; L with
//                         and without the gradient; L = −Σ ℓ_i + ½θᵀPθ + c and
//                         ∇L = −Σ s_i + Pθ
//   scores                s_i against central differences of ℓ_i, sample by
//                         sample; a block split in two gives the same rows
//   score-outer-products  ScoreOuterProductSum = Σ s_i s_iᵀ / w_i + P (SᵀS
//                         for unit weights) at the observed and at sampled y
//   sampling              SampleResponses: N × ResponseDimension, finite, in
//                         the support (finite ℓ), the same for the same seed
//   mean-score            E_p[Σ s_i] = 0: every entry of the Monte Carlo mean
//                         within z standard errors of 0
//   hessian               the closed-form Hessian against central differences
//                         of ∇L, symmetric; HessianAtResponses(y) = Hessian
//   expected-fisher       F symmetric, PSD; F − P within z standard errors of
//                         the Monte Carlo mean of Σ s_i s_iᵀ / w_i
//   expected-hessian      F − P within z standard errors of the Monte Carlo
//                         mean of HessianAtResponses(ỹ) − P: F = −E_p[∇²ℓ]
//                         (where HessianAtResponses returns false, of minus
//                         the central differences of Σ s_i(ỹ))
//   response-free-hessian where HessianIsResponseFree(): Hessian = F and
//                         HessianAtResponses(ỹ) = Hessian at sampled ỹ
//   kl                    KL(p_θ ‖ p_θ+εd) / (½ε² dᵀ(F − P)d) → 1 with an
//                         error that shrinks like ε (dᵀ(F − P)d = 1)
//   gauss-newton          the GGN symmetric, PSD; GaussNewtonFactor's JᵀJ =
//                         GGN and Jᵀb = ∇L
//   curvature-products    CurvatureApply and CurvatureDiagonal = the dense
//                         matrix's product and diagonal; false where there is
//                         no dense matrix
//   approximate-curvature ApproximateCurvature with no scales = the dense
//                         matrix, with scales 2 = 2(C − P) + P; false for the
//                         score outer products and for scales of a wrong size
//
// A check is skipped only where the model declares what it needs absent: a
// capability flag is false (hessian, gauss-newton; expected-fisher,
// expected-hessian and kl need the expected Fisher), an optional closed form
// returns false (KlDivergence, CurvatureApply/Diagonal,
// SupportsApproximateCurvature()), or HessianIsResponseFree() is false. The
// report says which checks ran and why the others were skipped.
//
// Tolerances:
//   - Central differences with step h_j = s · scale_j: the error is
//     truncation O(h²) plus rounding O(ε_machine · |f| / h), so an entry
//     passes when |analytic − numeric| ≤ K (s² · a + ε_machine · r / h_j),
//     with a the size of the derivative (for ∇L the summed |s_ij| plus what
//     a change of θ_j by its scale does to it, scale_j · |C_jj| with C the
//     Hessian or F, so that the tolerance does not vanish at the MLE), r the
//     size of the function's terms, and K = difference_tolerance_factor.
//     With s = 1e-5 and K = 100: about 1e-8 relative.
//   - Monte Carlo: M draws from SampleResponses with a fixed seed; an entry
//     passes when |mean − target| ≤ z · SE + identity_tolerance · size, SE
//     the entry's standard error (sample standard deviation / √M), which
//     shrinks like 1/√M. z = 5: an entry exceeds it by chance with
//     probability 6e-7, so the p(p + 1)/2 entries of a p ≤ 13 matrix pass
//     together except with probability below 1e-4, while a Fisher off by a
//     few % fails. The estimate must be informative: ‖SE‖_F / ‖F − P‖_F ≤
//     max_relative_standard_error.
//   - Identities between two computations of the same number:
//     identity_tolerance relative to the size of the terms.
struct ModelContractOptions {
  // Central differences: relative step s and per-parameter scales (h_j =
  // s · scale_j; empty: scale_j = |θ_j| + 1). Give the parameters' natural
  // scales (e.g. |θ_j|) when they span orders of magnitude.
  double difference_step = 1e-5;
  Eigen::VectorXd parameter_scale;
  double difference_tolerance_factor = 100.0;

  // Two computations of the same quantity agree to this, relative.
  double identity_tolerance = 1e-12;

  // Monte Carlo checks: draws M, seed, z and the largest accepted relative
  // standard error of the Fisher estimate.
  int num_draws = 2000;
  std::uint64_t seed = 20261128;
  double z = 5.0;
  double max_relative_standard_error = 0.05;

  // KL steps ε (decreasing, in (0, 1]), the largest accepted |ratio − 1| at
  // the smallest ε, and the rounding floor below which the ratio's error is
  // no longer required to shrink.
  std::vector<double> kl_steps = {1e-1, 1e-2, 1e-3};
  double kl_tolerance = 1e-2;
  double kl_rounding_floor = 1e-5;

  // The model's conventions, as its header states them:
  //   L(θ) = −Σ_i ℓ_i(θ) + ½ θᵀPθ + value_offset,
  // where P (penalty_hessian, p × p; empty: none) is a known quadratic
  // penalty that every curvature includes and the per-sample terms do not,
  // and frequency_weights (N entries; empty: all 1) are the w_i of a model
  // whose LogLikelihoods and Scores carry w_i ℓ_i and w_i s_i but whose
  // ScoreOuterProductSum is Σ w_i s_i s_iᵀ (GlmModel's prior weights).
  Eigen::MatrixXd penalty_hessian;
  Eigen::VectorXd frequency_weights;
  double value_offset = 0.0;
};

enum class ContractCheckStatus { kPassed, kFailed, kSkipped };

struct ContractCheck {
  std::string name;
  ContractCheckStatus status = ContractCheckStatus::kPassed;
  std::string note;  // why it was skipped, or how it was done
};

struct ModelContractReport {
  std::string model_name;
  std::vector<ContractCheck> checks;

  // The names of the checks with this status, in the order they ran.
  std::vector<std::string> Names(ContractCheckStatus status) const;
  // "logistic: passed structure, ...; skipped kl (KlDivergence returned
  // false)".
  std::string Summary() const;
};

// Runs every check above on `model` at `theta`, with the library's OpenMP
// regions on one thread (many small passes: see model_contract.cc). A failing
// comparison is a non-fatal gtest failure naming the model, the check and the
// worst entry; the report (also printed, and recorded as the test property
// "model_contract") says which checks passed, failed or were skipped.
ModelContractReport ExpectModelContract(
    const LikelihoodModel& model, const Eigen::VectorXd& theta,
    const ModelContractOptions& options = ModelContractOptions());

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_PROBLEMS_MODEL_CONTRACT_H_
