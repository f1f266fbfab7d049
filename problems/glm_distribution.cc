#include "problems/glm_distribution.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <random>

namespace fisheropt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kTwoPi = 6.28318530717958647693;
constexpr double kLogSqrtTwoPi = 0.91893853320467274178;  // ½ log 2π

// u − log(1 + u) ≥ 0 for u > −1, with its series near u = 0.
double LogDevianceKernel(double u) {
  if (std::abs(u) < 1e-3) {
    const double u2 = u * u;
    return u2 * (1.0 / 2.0 - u / 3.0 + u2 / 4.0 - u2 * u / 5.0 + u2 * u2 / 6.0);
  }
  return u - std::log1p(u);
}

// k log p with 0 log 0 = 0.
double XLogY(double x, double y) { return x == 0.0 ? 0.0 : x * std::log(y); }

// log dbinom(k, n, p), log dpois(y, μ) and log dgamma(y, shape, scale).
double LogBinomialPmf(double k, double n, double p) {
  if (k < 0.0 || k > n) return -std::numeric_limits<double>::infinity();
  return std::lgamma(n + 1.0) - std::lgamma(k + 1.0) -
         std::lgamma(n - k + 1.0) + XLogY(k, p) + XLogY(n - k, 1.0 - p);
}

double LogPoissonPmf(double y, double mu) {
  return XLogY(y, mu) - mu - std::lgamma(y + 1.0);
}

double LogGammaDensity(double y, double shape, double scale) {
  return -std::lgamma(shape) - shape * std::log(scale) +
         (shape - 1.0) * std::log(y) - y / scale;
}

double WeightAt(const Eigen::Ref<const Eigen::VectorXd>& weights,
                Eigen::Index i) {
  return weights.size() == 0 ? 1.0 : weights[i];
}

// Both Draw overloads from the class's DrawWith template.
template <typename Distribution>
class WithDraws : public ResponseDistribution {
 public:
  double Draw(double mu, RandomEngine* engine) const final {
    return static_cast<const Distribution*>(this)->DrawWith(mu, engine);
  }
  double Draw(double mu, RowRandomEngine* engine) const final {
    return static_cast<const Distribution*>(this)->DrawWith(mu, engine);
  }
};

class BinomialDistribution final : public WithDraws<BinomialDistribution> {
 public:
  std::string RName() const override { return "binomial"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kLogit, GlmLink::kProbit, GlmLink::kCauchit, GlmLink::kLog,
            GlmLink::kCloglog};
  }
  MeanRange Range() const override { return MeanRange::kUnitInterval; }
  bool IsValidResponse(double y) const override { return y >= 0.0 && y <= 1.0; }
  double Variance(double mu, double complement) const override {
    return mu * complement;
  }
  double VarianceDerivative(double mu, double complement) const override {
    return complement - mu;  // 1 − 2μ
  }
  double LogDensity(double y, double mu, double log_mu,
                    double complement) const override {
    double l = 0.0;
    if (y != 0.0) l += y * (mu > 0.5 ? std::log1p(-complement) : log_mu);
    if (y != 1.0) {
      l += (1.0 - y) * (mu < 0.5 ? std::log1p(-mu) : std::log(complement));
    }
    return std::isnan(mu) ? kNaN : l;
  }
  double Residual(double y, double mu, double complement) const override {
    return mu > 0.5 ? (y - 1.0) + complement : y - mu;
  }
  // 2[y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))]
  //   = 2[μ f((y − μ)/μ) + (1 − μ) f((μ − y)/(1 − μ))]: the linear parts of
  // the two terms cancel exactly.
  double UnitDeviance(double y, double mu) const override {
    return 2.0 * (mu * DevianceKernel((y - mu) / mu) +
                  (1.0 - mu) * DevianceKernel((mu - y) / (1.0 - mu)));
  }
  double StartingMean(double y, double weight) const override {
    return (weight * y + 0.5) / (weight + 1.0);
  }
  bool HasDispersion() const override { return false; }
  // R's m = wt (the number of trials) for a proportion response.
  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>& mu,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double /*deviance*/) const override {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const double m = WeightAt(weights, i);
      if (m > 0.0) {
        sum += LogBinomialPmf(std::round(m * y[i]), std::round(m), mu[i]);
      }
    }
    return -2.0 * sum;
  }
  template <typename Engine>
  double DrawWith(double mu, Engine* engine) const {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    return uniform(*engine) < mu ? 1.0 : 0.0;
  }
};

class PoissonDistribution final : public WithDraws<PoissonDistribution> {
 public:
  std::string RName() const override { return "poisson"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kLog, GlmLink::kIdentity, GlmLink::kSqrt};
  }
  MeanRange Range() const override { return MeanRange::kPositive; }
  bool IsValidResponse(double y) const override {
    return y >= 0.0 && y == std::floor(y);
  }
  double Variance(double mu, double) const override { return mu; }
  double VarianceDerivative(double, double) const override { return 1.0; }
  int VariancePower() const override { return 1; }
  double LogDensity(double y, double mu, double log_mu, double) const override {
    return (y == 0.0 ? 0.0 : y * log_mu) - mu - std::lgamma(y + 1.0);
  }
  double UnitDeviance(double y, double mu) const override {
    return 2.0 * (y == 0.0 ? mu : mu * DevianceKernel((y - mu) / mu));
  }
  double StartingMean(double y, double) const override { return y + 0.1; }
  bool HasDispersion() const override { return false; }
  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>& mu,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double /*deviance*/) const override {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      sum += WeightAt(weights, i) * LogPoissonPmf(y[i], mu[i]);
    }
    return -2.0 * sum;
  }
  // Exact draws for μ ≤ 1e12, round(μ + √μ ε) above (skewness below 1e-6).
  template <typename Engine>
  double DrawWith(double mu, Engine* engine) const {
    constexpr double kLargestExactMean = 1e12;
    if (mu <= kLargestExactMean) {
      std::poisson_distribution<long long> poisson(mu);
      return static_cast<double>(poisson(*engine));
    }
    std::normal_distribution<double> normal(0.0, 1.0);
    return std::max(0.0, std::round(mu + std::sqrt(mu) * normal(*engine)));
  }
};

class GaussianDistribution final : public WithDraws<GaussianDistribution> {
 public:
  std::string RName() const override { return "gaussian"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kIdentity, GlmLink::kLog, GlmLink::kInverse};
  }
  MeanRange Range() const override { return MeanRange::kReal; }
  bool IsValidResponse(double) const override { return true; }
  double Variance(double, double) const override { return 1.0; }
  double VarianceDerivative(double, double) const override { return 0.0; }
  int VariancePower() const override { return 0; }
  double LogDensity(double y, double mu, double, double) const override {
    return -0.5 * (y - mu) * (y - mu) - kLogSqrtTwoPi;
  }
  double UnitDeviance(double y, double mu) const override {
    return (y - mu) * (y - mu);
  }
  double StartingMean(double y, double) const override { return y; }
  bool HasDispersion() const override { return true; }
  // n (log(2π dev/n) + 1) + 2 − Σ log w (as in R, a zero weight makes it
  // +∞).
  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>&,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double deviance) const override {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      sum += std::log(WeightAt(weights, i));
    }
    const double rows = static_cast<double>(y.size());
    return rows * (std::log(kTwoPi * deviance / rows) + 1.0) + 2.0 - sum;
  }
  template <typename Engine>
  double DrawWith(double mu, Engine* engine) const {
    std::normal_distribution<double> normal(0.0, 1.0);
    return mu + normal(*engine);
  }
};

// The Σ w of R's aic for the dispersion families, φ̂ = dev/Σw.
double WeightSum(const Eigen::Ref<const Eigen::VectorXd>& y,
                 const Eigen::Ref<const Eigen::VectorXd>& weights) {
  double sum = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) sum += WeightAt(weights, i);
  return sum;
}

class GammaDistribution final : public WithDraws<GammaDistribution> {
 public:
  std::string RName() const override { return "Gamma"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kInverse, GlmLink::kIdentity, GlmLink::kLog};
  }
  MeanRange Range() const override { return MeanRange::kPositive; }
  bool IsValidResponse(double y) const override { return y > 0.0; }
  double Variance(double mu, double) const override { return mu * mu; }
  double VarianceDerivative(double mu, double) const override {
    return 2.0 * mu;
  }
  int VariancePower() const override { return 2; }
  double LogDensity(double y, double mu, double log_mu, double) const override {
    return -y / mu - log_mu;
  }
  // −2[log(y/μ) − (y − μ)/μ] = 2[u − log(1 + u)], u = (y − μ)/μ.
  double UnitDeviance(double y, double mu) const override {
    return 2.0 * LogDevianceKernel((y - mu) / mu);
  }
  double StartingMean(double y, double) const override { return y; }
  bool HasDispersion() const override { return true; }
  // −2 Σ w log dgamma(y, 1/φ̂, scale = μφ̂) + 2.
  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>& mu,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double deviance) const override {
    const double dispersion = deviance / WeightSum(y, weights);
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      sum += WeightAt(weights, i) *
             LogGammaDensity(y[i], 1.0 / dispersion, mu[i] * dispersion);
    }
    return -2.0 * sum + 2.0;
  }
  // Shape 1/φ = 1: exponential with mean μ.
  template <typename Engine>
  double DrawWith(double mu, Engine* engine) const {
    std::exponential_distribution<double> exponential(1.0);
    return mu * exponential(*engine);
  }
};

class InverseGaussianDistribution final
    : public WithDraws<InverseGaussianDistribution> {
 public:
  std::string RName() const override { return "inverse.gaussian"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kInverseSquare, GlmLink::kInverse, GlmLink::kIdentity,
            GlmLink::kLog};
  }
  MeanRange Range() const override { return MeanRange::kPositive; }
  bool IsValidResponse(double y) const override { return y > 0.0; }
  double Variance(double mu, double) const override { return mu * mu * mu; }
  double VarianceDerivative(double mu, double) const override {
    return 3.0 * mu * mu;
  }
  int VariancePower() const override { return 3; }
  // (y − μ)²/(2μ²y) = (y/μ − 1)²/(2y): no overflow of μ².
  double LogDensity(double y, double mu, double, double) const override {
    const double ratio = y / mu - 1.0;
    return -0.5 * ratio * ratio / y -
           0.5 * (std::log(kTwoPi) + 3.0 * std::log(y));
  }
  double UnitDeviance(double y, double mu) const override {
    const double ratio = y / mu - 1.0;
    return ratio * ratio / y;  // (y − μ)²/(yμ²)
  }
  double StartingMean(double y, double) const override { return y; }
  bool HasDispersion() const override { return true; }
  // Σw (1 + log(2π φ̂)) + 3 Σ w log y + 2.
  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>&,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double deviance) const override {
    const double weight_sum = WeightSum(y, weights);
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      sum += WeightAt(weights, i) * std::log(y[i]);
    }
    return weight_sum * (1.0 + std::log(kTwoPi * deviance / weight_sum)) +
           3.0 * sum + 2.0;
  }
  // Michael–Schucany–Haas with λ = 1: with w = μν²/2 (ν ~ N(0, 1)), the
  // smaller root x = μ(1 + w − √(w² + 2w)) = μ/(1 + w + √(w² + 2w))
  // (written without cancellation), then x or μ²/x with probabilities
  // μ/(μ + x) and x/(μ + x).
  template <typename Engine>
  double DrawWith(double mu, Engine* engine) const {
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    const double nu = normal(*engine);
    const double w = 0.5 * mu * nu * nu;
    const double x = mu / (1.0 + w + std::sqrt(w * (w + 2.0)));
    return uniform(*engine) * (mu + x) <= mu ? x : mu * (mu / x);
  }
};

// MASS's negative.binomial(θ): what does not depend on θ. The rest (ℓ, V,
// the unit deviance, aic, draws) is NegativeBinomialFamily's
// (glm_family.cc), which holds θ; here it is NaN.
class NegativeBinomialDistribution final
    : public WithDraws<NegativeBinomialDistribution> {
 public:
  std::string RName() const override { return "negative.binomial"; }
  std::vector<GlmLink> AllowedLinks() const override {
    return {GlmLink::kLog, GlmLink::kIdentity};
  }
  MeanRange Range() const override { return MeanRange::kPositive; }
  bool IsValidResponse(double y) const override {
    return y >= 0.0 && y == std::floor(y);
  }
  double Variance(double, double) const override { return kNaN; }
  double VarianceDerivative(double, double) const override { return kNaN; }
  double LogDensity(double, double, double, double) const override {
    return kNaN;
  }
  double UnitDeviance(double, double) const override { return kNaN; }
  double StartingMean(double y, double) const override {
    return y == 0.0 ? 1.0 / 6.0 : y;
  }
  bool HasDispersion() const override { return false; }
  double Aic(const Eigen::Ref<const Eigen::VectorXd>&,
             const Eigen::Ref<const Eigen::VectorXd>&,
             const Eigen::Ref<const Eigen::VectorXd>&, double) const override {
    return kNaN;
  }
  template <typename Engine>
  double DrawWith(double, Engine*) const {
    return kNaN;
  }
};

template <typename Distribution>
const ResponseDistribution* Instance() {
  static const Distribution distribution;
  return &distribution;
}

// The registry: one object per distribution, in enum order.
const ResponseDistribution* const kDistributions[] = {
#define FISHEROPT_GLM_DISTRIBUTION_ENTRY(enumerator, distribution_class) \
  Instance<distribution_class>(),
    FISHEROPT_GLM_DISTRIBUTIONS(FISHEROPT_GLM_DISTRIBUTION_ENTRY)
#undef FISHEROPT_GLM_DISTRIBUTION_ENTRY
};

}  // namespace

double DevianceKernel(double u) {
  // Near u = 0 the two terms cancel, so the series
  // Σ_{k≥2} (−u)^k / (k(k−1)) is summed instead.
  if (u == -1.0) return 1.0;
  if (std::abs(u) < 1e-3) {
    const double u2 = u * u;
    return u2 *
           (1.0 / 2.0 - u / 6.0 + u2 / 12.0 - u2 * u / 20.0 + u2 * u2 / 30.0);
  }
  return (1.0 + u) * std::log1p(u) - u;
}

const ResponseDistribution& DistributionOf(GlmDistribution distribution) {
  return *kDistributions[static_cast<int>(distribution)];
}

std::string ToString(GlmDistribution distribution) {
  return DistributionOf(distribution).RName();
}

bool FromString(const std::string& name, GlmDistribution* distribution) {
  for (int k = 0; k < static_cast<int>(std::size(kDistributions)); ++k) {
    if (name == kDistributions[k]->RName()) {
      *distribution = static_cast<GlmDistribution>(k);
      return true;
    }
  }
  return false;
}

std::vector<std::string> GlmDistributionNames() {
  std::vector<std::string> names;
  for (const ResponseDistribution* distribution : kDistributions) {
    names.push_back(distribution->RName());
  }
  return names;
}

std::vector<GlmLink> AllowedLinks(GlmDistribution distribution) {
  return DistributionOf(distribution).AllowedLinks();
}

}  // namespace fisheropt
