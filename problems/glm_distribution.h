#ifndef FISHEROPT_PROBLEMS_GLM_DISTRIBUTION_H_
#define FISHEROPT_PROBLEMS_GLM_DISTRIBUTION_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "problems/glm_link.h"
#include "problems/likelihood_model.h"
#include "problems/row_random.h"

namespace fisheropt {

// A GLM's response distributions, with R's family names. Each has its
// exponential-family log density with dispersion φ = 1:
//   binomial          y ∈ [0, 1]  ℓ = y log μ + (1 − y) log(1 − μ)
//   poisson           y ∈ ℕ       ℓ = y log μ − μ − log y!
//   gaussian          y ∈ ℝ       ℓ = −½(y − μ)² − ½ log 2π
//   Gamma             y > 0       ℓ = −y/μ − log μ      (shape 1/φ = 1)
//   inverse.gaussian  y > 0       ℓ = −(y − μ)²/(2μ²y) − ½ log(2πy³)
//                                                       (λ = 1/φ = 1)
//   negative.binomial y ∈ ℕ       ℓ = log Γ(y + θ) − log Γ(θ) − log y!
//                                     + θ log(θ/(θ + μ)) + y log(μ/(θ + μ))
// and variance function V(μ) = μ(1 − μ), μ, 1, μ², μ³, μ + μ²/θ. The
// negative binomial's θ (MASS's negative.binomial(theta)) is a parameter of
// the family: CreateNegativeBinomialFamily (glm_family.h) makes it, and its
// θ-dependent functions live there.
//
// The distributions, in enum order: (enumerator, class). Each class
// (glm_distribution.cc) implements ResponseDistribution below; adding a
// distribution is its class plus one line here (the families of every
// allowed link, R's name on the command line and every curvature follow).
// One entry per line, each ending in a backslash, so that adding an entry
// is a one-line diff.
// clang-format off
#define FISHEROPT_GLM_DISTRIBUTIONS(X) \
  X(kBinomial, BinomialDistribution) \
  X(kPoisson, PoissonDistribution) \
  X(kGaussian, GaussianDistribution) \
  X(kGamma, GammaDistribution) \
  X(kInverseGaussian, InverseGaussianDistribution) \
  X(kNegativeBinomial, NegativeBinomialDistribution) \
  /* (new entries above this line) */
// clang-format on

enum class GlmDistribution {
#define FISHEROPT_GLM_DISTRIBUTION_ENUMERATOR(enumerator, distribution_class) \
  enumerator,
  FISHEROPT_GLM_DISTRIBUTIONS(FISHEROPT_GLM_DISTRIBUTION_ENUMERATOR)
#undef FISHEROPT_GLM_DISTRIBUTION_ENUMERATOR
};

// What R's family object knows of a distribution that does not depend on
// the link, at φ = 1. The generic family (glm_family.cc) combines it with
// any allowed link through μ(η), its derivatives and V(μ).
class ResponseDistribution {
 public:
  // Where the mean lives. A link whose range is wider restricts η
  // (GlmFamily::IsValidLinearPredictor): a unit-interval mean needs η < 0
  // under the log link, a positive one η > 0 under every link but log.
  enum class MeanRange { kUnitInterval, kReal, kPositive };

  virtual ~ResponseDistribution() = default;

  // R's family name ("binomial", "Gamma", ...).
  virtual std::string RName() const = 0;
  // The links R's family function accepts, in R's order; the first is the
  // default (the canonical link, except for the negative binomial, whose
  // canonical link R does not offer).
  virtual std::vector<GlmLink> AllowedLinks() const = 0;
  virtual MeanRange Range() const = 0;
  // y (finite) lies in the support.
  virtual bool IsValidResponse(double y) const = 0;
  // V(μ) and dV/dμ; `complement` is 1 − μ as accurate as the link gives it
  // (the binomial's μ(1 − μ) near μ = 1).
  virtual double Variance(double mu, double complement) const = 0;
  virtual double VarianceDerivative(double mu, double complement) const = 0;
  // V(μ) = μ^p: p, which lets the log link write a, b and da/dη as powers
  // of e^η (no overflow of μ²); −1 when V is not a power of μ.
  virtual int VariancePower() const { return -1; }
  // ℓ(y; μ) at φ = 1, with log μ (exact under the log link) and 1 − μ.
  virtual double LogDensity(double y, double mu, double log_mu,
                            double complement) const = 0;
  // y − μ, accurate where μ is close to y (the binomial near μ = 1).
  virtual double Residual(double y, double mu, double /*complement*/) const {
    return y - mu;
  }
  // R's dev.resids with weight 1: 2(ℓ_sat − ℓ), written as sums of
  // nonnegative terms so that it does not cancel near y = μ.
  virtual double UnitDeviance(double y, double mu) const = 0;
  // R's mustart (family$initialize) for a response with prior weight w.
  virtual double StartingMean(double y, double weight) const = 0;
  // The distribution has a free dispersion φ (standard errors scaled by
  // √φ̂ as R's summary.glm; logLik from R's family$aic at φ̂).
  virtual bool HasDispersion() const = 0;
  // R's family$aic(y, n, mu, wt, dev) (see GlmFamily::Aic).
  virtual double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
                     const Eigen::Ref<const Eigen::VectorXd>& mu,
                     const Eigen::Ref<const Eigen::VectorXd>& weights,
                     double deviance) const = 0;
  // One draw y ~ p(· | μ), from a stream or a row's own generator.
  virtual double Draw(double mu, RandomEngine* engine) const = 0;
  virtual double Draw(double mu, RowRandomEngine* engine) const = 0;
};

// The distribution's object (one per enumerator, never null).
const ResponseDistribution& DistributionOf(GlmDistribution distribution);

// R's family name ("binomial", ..., "Gamma", "inverse.gaussian").
std::string ToString(GlmDistribution distribution);
// Accepts R's names; returns false when unknown.
bool FromString(const std::string& name, GlmDistribution* distribution);
// Every distribution's name, in enum order.
std::vector<std::string> GlmDistributionNames();
// DistributionOf(distribution).AllowedLinks(): binomial: logit, probit,
// cauchit, log, cloglog; poisson: log, identity, sqrt;
// gaussian: identity, log, inverse; Gamma: inverse, identity, log;
// inverse.gaussian: 1/mu^2, inverse, identity, log; negative.binomial: log,
// identity (MASS's sqrt is not offered).
std::vector<GlmLink> AllowedLinks(GlmDistribution distribution);

// f(u) = (1 + u) log(1 + u) − u ≥ 0 for u ≥ −1 (f(−1) = 1), by its series
// near u = 0: the kernel of the unit deviances, as
// μ f((y − μ)/μ) = y log(y/μ) − (y − μ).
double DevianceKernel(double u);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_DISTRIBUTION_H_
