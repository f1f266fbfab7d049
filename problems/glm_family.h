#ifndef FISHEROPT_PROBLEMS_GLM_FAMILY_H_
#define FISHEROPT_PROBLEMS_GLM_FAMILY_H_

#include <Eigen/Core>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "problems/glm_distribution.h"
#include "problems/glm_link.h"
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
// A family is a distribution (GlmDistribution) with a link (GlmLink, see
// glm_link.h). Five pairs are presets (GlmFamilyType) written directly in η
// so that ℓ, dℓ/dη and both weights are finite (no log(0), no overflow) for
// |η| up to 700 at every y in the support. The other pairs R allows are one
// generic class computing from μ(η), dμ/dη, d²μ/dη² and the variance V(μ)
// (with φ = 1):
//
//   dℓ/dη = (y − μ) a,  a = μ'(η)/V(μ),
//   expected weight = μ'(η)²/V(μ),
//   observed weight = expected weight − (y − μ) da/dη,
//                     da/dη = (μ'' − μ' a V'(μ)) / V(μ),
//
// with a, μ'²/V and da/dη as powers of e^η under the log link (no overflow of
// μ² for Gamma and inverse Gaussian). The generic families are finite on
// their valid η (IsValidLinearPredictor) wherever ℓ is representable; they
// return NaN outside it.
//
// Binomial families take y ∈ [0, 1]: a proportion of successes whose prior
// weight is the number of trials, as R's binomial does, with
// ℓ = y log μ + (1 − y) log(1 − μ).
enum class GlmFamilyType {
  kBernoulliLogit,  // "logistic": y ∈ [0, 1], μ = 1 / (1 + e^−η); canonical.
  kBernoulliProbit,   // "probit":   y ∈ [0, 1], μ = Φ(η).
  kBernoulliCloglog,  // "cloglog":  y ∈ [0, 1], μ = 1 − exp(−e^η).
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

  // The preset of the five exact families; nullopt for a generic pair.
  virtual std::optional<GlmFamilyType> type() const = 0;
  virtual GlmDistribution distribution() const = 0;
  virtual GlmLink link() const = 0;
  // The preset's name ("logistic", ...) or R's "family(link)" for a generic
  // pair ("Gamma(log)", "binomial(cauchit)").
  std::string Name() const;

  // True when y lies in the support of the response distribution.
  virtual bool IsValidResponse(double y) const;
  // True when η is valid for the link and maps to a valid mean (μ ∈ (0, 1)
  // for binomial, μ > 0 for poisson, Gamma and inverse.gaussian): e.g.
  // Gamma(inverse) needs η > 0, binomial(log) η < 0. Every finite η for the
  // presets.
  virtual bool IsValidLinearPredictor(double eta) const;

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

  // The statistical half: R's family object. Defaults follow distribution()
  // and link(); every family has them.
  //
  // μ(η) (R's linkinv) and η(μ) (linkfun).
  virtual double Mean(double eta) const;
  virtual double LinkFunction(double mu) const;
  // V(μ) (R's variance).
  virtual double Variance(double mu) const;
  // R's dev.resids with weight 1: 2(ℓ_sat − ℓ) at φ = 1, ℓ_sat the log
  // density at μ = y. Written as sums of nonnegative terms (y log(y/μ) − (y −
  // μ) = μ f((y − μ)/μ), f(u) = (1 + u) log(1 + u) − u) so that it does not
  // cancel near y = μ; y = 0 is handled (0 log 0 = 0).
  virtual double UnitDeviance(double y, double mu) const;
  // True for the canonical link (logit, log, identity, inverse, 1/mu^2 for
  // the five distributions): the observed weight equals the expected one.
  virtual bool IsCanonical() const;
  // The negative binomial's θ; nullopt for the other distributions.
  virtual std::optional<double> Theta() const { return std::nullopt; }
  // True when the distribution has a free dispersion φ (gaussian, Gamma,
  // inverse.gaussian): the curvatures are those of φ = 1, and standard
  // errors are scaled by √φ̂ as R's summary.glm does.
  virtual bool HasDispersion() const;
  // R's family$family and family$link.
  virtual std::string RName() const;
  virtual std::string RLinkName() const;
  // R's mustart from family$initialize for one response with prior weight
  // w: binomial (w y + ½)/(w + 1), poisson y + 0.1, negative.binomial
  // y + 1/6 at y = 0 (else y), the others y.
  virtual double StartingMean(double y, double weight) const;
  // R's family$aic(y, n, mu, wt, dev) over the data (without the 2·rank glm
  // adds): weights are the prior weights (empty: all 1) and deviance is
  // Σ w_i UnitDeviance(y_i, μ_i).
  //   binomial          −2 Σ_{w>0} log dbinom(round(w y), round(w), μ)
  //   poisson           −2 Σ w log dpois(y, μ)
  //   gaussian          n (log(2π dev/n) + 1) + 2 − Σ log w   (n rows; as
  //                     in R, a zero weight makes it +∞)
  //   Gamma             −2 Σ w log dgamma(y, 1/φ̂, scale = μφ̂) + 2
  //   inverse.gaussian  Σw (1 + log(2π φ̂)) + 3 Σ w log y + 2
  //   negative.binomial −2 Σ w ℓ(y; μ, θ)
  // with φ̂ = dev/Σw.
  virtual double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
                     const Eigen::Ref<const Eigen::VectorXd>& mu,
                     const Eigen::Ref<const Eigen::VectorXd>& weights,
                     double deviance) const;
};

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmFamilyType type);
// The family of a distribution and link: the exact preset class for the
// five preset pairs (binomial with logit, probit or cloglog, poisson(log),
// gaussian(identity)), the generic class for the other pairs R allows.
// Returns nullptr with a message naming the pair and the allowed links for
// a pair R refuses ("link \"logit\" is not available for the Gamma family;
// available links: inverse, identity, log").
std::unique_ptr<GlmFamily> CreateGlmFamily(GlmDistribution distribution,
                                           GlmLink link, std::string* error);
// MASS's negative.binomial(theta, link): V(μ) = μ + μ²/θ with θ fixed (not
// estimated; stats/negative_binomial.h estimates it). Under the log link ℓ
// is written in t = η − log θ as
//   ℓ = C − θ softplus(t) − y softplus(−t),
//   dℓ/dη = y σ(−t) − θ σ(t),  observed weight (θ + y) σ(t) σ(−t),
//   expected weight θ σ(t),
// finite for |η| ≤ 700; the identity link needs η > 0. Not canonical: the
// observed weight depends on y. Returns nullptr with a message when θ is
// not positive and finite or the link is not log or identity.
std::unique_ptr<GlmFamily> CreateNegativeBinomialFamily(double theta,
                                                        GlmLink link,
                                                        std::string* error);

// Numerically stable scalar helpers (exact for |η| up to the double range).
// log(1 + exp(x)) without overflow or cancellation.
double Softplus(double x);
// 1 / (1 + exp(−x)) without overflow.
double Sigmoid(double x);
// log Φ(x), Φ the standard normal CDF: from erfc for x ≥ −37, from the
// asymptotic (Mills ratio) series below, finite down to x = −1e150.
double LogNormalCdf(double x);
// Φ(x) and the standard normal density φ(x), each with full relative
// accuracy in the tails (Φ(x) from erfc, and the series below −37).
double NormalCdf(double x);
double NormalPdf(double x);
// The inverse Mills ratio λ(x) = φ(x) / Φ(x) (φ the standard normal density),
// finite for all x: λ(x) → 0 as x → ∞, λ(x) ≈ −x as x → −∞.
double InverseMillsRatio(double x);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_FAMILY_H_
