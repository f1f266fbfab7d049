#ifndef FISHEROPT_PROBLEMS_GLM_FAMILY_H_
#define FISHEROPT_PROBLEMS_GLM_FAMILY_H_

#include <Eigen/Core>
#include <memory>
#include <string>
#include <vector>

#include "problems/likelihood_model.h"
#include "problems/row_random.h"

namespace fisheropt {

// A GLM's response distribution and link, seen through per-sample scalars on
// the linear predictor η = xᵀβ. Everything a GLM needs is one of these:
//
//   ℓ(η; y)                      the log-likelihood of one sample,
//   dℓ/dη                        (the score is s = (dℓ/dη) x),
//   observed weight  −d²ℓ/dη²    (Hessian of L  = Xᵀ diag(observed) X),
//   expected weight  E[−d²ℓ/dη²] = E[(dℓ/dη)²]
//                                (expected Fisher = Xᵀ diag(expected) X).
//
// For a canonical link the observed and expected weights coincide, so the
// Hessian equals the expected Fisher; for other links they differ away from
// the data. All functions work on a block of samples at once.
//
// Every family is written so that ℓ, dℓ/dη and both weights are finite (no
// log(0), no overflow) for |η| up to 700 at every y in the support.
enum class GlmFamilyType {
  kBernoulliLogit,  // "logistic": y ∈ {0, 1}, μ = 1 / (1 + e^−η); canonical.
  kBernoulliProbit,   // "probit":   y ∈ {0, 1}, μ = Φ(η).
  kBernoulliCloglog,  // "cloglog":  y ∈ {0, 1}, μ = 1 − exp(−e^η).
  kPoissonLog,        // "poisson":  y ∈ {0, 1, 2, ...}, μ = e^η; canonical.
  // "gaussian": y ∈ ℝ, μ = η, with the dispersion fixed at φ = 1:
  //   ℓ = −½(y − η)² − ½ log 2π.
  // β̂ does not depend on φ, but the curvatures are those of φ = 1: standard
  // errors from F⁻¹ must be multiplied by √φ̂ with φ̂ = RSS/(n − p), as R's
  // summary.glm does (see GlmModel::GaussianDispersion). Canonical.
  kGaussianIdentity,
};

// The names above.
std::string ToString(GlmFamilyType type);
// Accepts the names above (also "bernoulli-logit", "bernoulli-probit",
// "bernoulli-cloglog", "poisson-log", "gaussian-identity"). Returns false when
// unknown.
bool FromString(const std::string& name, GlmFamilyType* type);
// Every family's name, in enum order.
std::vector<std::string> GlmFamilyNames();

class GlmFamily {
 public:
  virtual ~GlmFamily() = default;

  virtual GlmFamilyType type() const = 0;

  // True when y lies in the support of the response distribution.
  virtual bool IsValidResponse(double y) const = 0;

  // Per-sample ℓ, dℓ/dη and −d²ℓ/dη² for a block; any output may be null.
  // Outputs are resized to eta.size().
  virtual void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                        const Eigen::Ref<const Eigen::VectorXd>& y,
                        Eigen::VectorXd* log_likelihood,
                        Eigen::VectorXd* dl_deta,
                        Eigen::VectorXd* observed_weight) const = 0;

  // E_y[−d²ℓ/dη²] under the model at η (does not depend on observed y).
  virtual void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                               Eigen::VectorXd* weights) const = 0;

  // Draws y_i ~ p(· | η_i), one after the other from one stream (how the
  // synthetic data sets are generated: problems/synthetic_data.h).
  virtual void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta,
                      RandomEngine* rng, Eigen::VectorXd* y) const = 0;

  // One draw y ~ p(· | η) from a row's own generator (the same
  // distribution as Sample): what GlmModel::SampleResponses calls for each
  // row, in parallel (problems/row_random.h).
  virtual double Draw(double eta, RowRandomEngine* engine) const = 0;
};

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmFamilyType type);

// Numerically stable scalar helpers (exact for |η| up to the double range).
// log(1 + exp(x)) without overflow or cancellation.
double Softplus(double x);
// 1 / (1 + exp(−x)) without overflow.
double Sigmoid(double x);
// log Φ(x), Φ the standard normal CDF: from erfc for x ≥ −37, from the
// asymptotic (Mills ratio) series below, finite down to x = −1e150.
double LogNormalCdf(double x);
// The inverse Mills ratio λ(x) = φ(x) / Φ(x) (φ the standard normal density),
// finite for all x: λ(x) → 0 as x → ∞, λ(x) ≈ −x as x → −∞.
double InverseMillsRatio(double x);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_FAMILY_H_
