#include "problems/glm_family.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <utility>

namespace fisheropt {
namespace {

constexpr double kLogSqrtTwoPi = 0.91893853320467274178;  // ½ log 2π
constexpr double kSqrtHalf = 0.70710678118654752440;      // 1/√2
// Below this x, Φ(x) comes from the asymptotic series (erfc(−x/√2) stays a
// normal double down to x ≈ −37.5).
constexpr double kNormalTailStart = -37.0;

// For t ≥ 37: S(t) = Σ_k (−1)^k (2k−1)!! / t^{2k}, the asymptotic series of
// the Mills ratio, Φ(−t) = φ(t) S(t) / t. Returns S − 1 (without the leading
// 1, so that callers can use it without cancellation). The terms fall below
// 1e-17 after 8 terms at t = 37 (the series is summed while they decrease).
double MillsSeriesMinusOne(double t) {
  const double inverse_t2 = 1.0 / (t * t);
  double term = 1.0;
  double sum = 0.0;
  for (int k = 1; k < 30; ++k) {
    const double next = -term * (2.0 * k - 1.0) * inverse_t2;
    if (std::abs(next) >= std::abs(term)) break;
    term = next;
    sum += term;
    if (std::abs(term) < 1e-18) break;
  }
  return sum;
}

// Standard normal density. x² is split exactly into hi + lo (fma) so that
// the rounding of x² (amplified by x²/2 in the exponent) does not cost
// relative accuracy in the tails: φ(x) = e^{−hi/2}(1 − lo/2)/√(2π).
double NormalDensity(double x) {
  const double hi = x * x;
  const double lo = std::fma(x, x, -hi);
  constexpr double kInverseSqrtTwoPi = 0.39894228040143267794;
  // −hi/2 is exact; adding −log √(2π) inside the exponent would round.
  return std::exp(-0.5 * hi) * (1.0 - 0.5 * lo) * kInverseSqrtTwoPi;
}

// Φ(−t) for t ≥ 0, to a few ulps. Below kTailSwitch: erfc(t/√2)/2 with a
// first-order correction for the rounding of a = t/√2 (the exact argument
// is a + δ, δ from fma and the low part of 1/√2): erfc(a + δ) ≈ erfc(a) −
// δ (2/√π) e^{−a²}. Without it the relative error grows like 2a²·ε (3e-14 at
// t = 30). Above: the asymptotic series φ(t) S(t) / t.
double NormalUpperTail(double t) {
  if (t >= -kNormalTailStart) {
    return NormalDensity(t) * (1.0 + MillsSeriesMinusOne(t)) / t;
  }
  constexpr double kSqrtHalfLow = -4.8336466567264565186e-17;  // √½ − kSqrtHalf
  constexpr double kTwoOverSqrtPi = 1.1283791670955125739;
  const double a = t * kSqrtHalf;
  const double delta = std::fma(t, kSqrtHalf, -a) + t * kSqrtHalfLow;
  return 0.5 * (std::erfc(a) - delta * kTwoOverSqrtPi * std::exp(-a * a));
}

// z + λ(z), the factor of the probit observed weight λ(z)(z + λ(z)); written
// without the cancellation of −t + t/S for very negative z.
double ArgumentPlusMills(double z) {
  if (z >= kNormalTailStart) return z + InverseMillsRatio(z);
  const double t = -z;
  const double s_minus_one = MillsSeriesMinusOne(t);
  return -t * s_minus_one / (1.0 + s_minus_one);
}

// u / (e^u − 1), → 1 as u → 0 and → 0 as u → ∞ (no 0/0, no ∞/∞).
double UOverExpm1(double u) {
  if (u < 1e-10) return 1.0 - 0.5 * u;
  return u / std::expm1(u);
}

// u / (1 − e^−u) − 1 ≥ 0 without cancellation for small u.
double UOverOneMinusExpMinusUMinusOne(double u) {
  if (u < 1e-2) {
    // u/(1 − e^−u) = 1 + u/2 + u²/12 − u⁴/720 + O(u⁶).
    const double u2 = u * u;
    return 0.5 * u + u2 / 12.0 - u2 * u2 / 720.0;
  }
  return u / (-std::expm1(-u)) - 1.0;
}

// log(1 − e^−u) for u > 0 (Mächler's log1mexp).
double LogOneMinusExpMinus(double u) {
  return u < M_LN2 ? std::log(-std::expm1(-u)) : std::log1p(-std::exp(-u));
}

// Resizes the outputs that are requested.
void ResizeOutputs(Eigen::Index n, Eigen::VectorXd* a, Eigen::VectorXd* b,
                   Eigen::VectorXd* c) {
  if (a != nullptr) a->resize(n);
  if (b != nullptr) b->resize(n);
  if (c != nullptr) c->resize(n);
}

}  // namespace

double Softplus(double x) {
  // log(1 + e^x) = max(x, 0) + log1p(e^−|x|).
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}

double Sigmoid(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

double LogNormalCdf(double x) {
  if (x > 0.0) return std::log1p(-NormalUpperTail(x));
  if (x >= kNormalTailStart) return std::log(NormalUpperTail(-x));
  // Φ(x) = φ(t) S(t) / t with t = −x, in logs (φ(t) underflows here).
  const double t = -x;
  return -0.5 * t * t - kLogSqrtTwoPi - std::log(t) +
         std::log1p(MillsSeriesMinusOne(t));
}

double NormalCdf(double x) {
  return x < 0.0 ? NormalUpperTail(-x) : 1.0 - NormalUpperTail(x);
}

double NormalPdf(double x) { return NormalDensity(x); }

double InverseMillsRatio(double x) {
  if (x >= kNormalTailStart) {
    const double cdf = x < 0.0 ? NormalUpperTail(-x) : 1.0 - NormalUpperTail(x);
    return NormalDensity(x) / cdf;
  }
  const double t = -x;
  return t / (1.0 + MillsSeriesMinusOne(t));
}

std::string ToString(GlmFamilyType type) {
  switch (type) {
    case GlmFamilyType::kBernoulliLogit:
      return "logistic";
    case GlmFamilyType::kBernoulliProbit:
      return "probit";
    case GlmFamilyType::kBernoulliCloglog:
      return "cloglog";
    case GlmFamilyType::kPoissonLog:
      return "poisson";
    case GlmFamilyType::kGaussianIdentity:
      return "gaussian";
  }
  return "unknown";
}

bool FromString(const std::string& name, GlmFamilyType* type) {
  struct Alias {
    const char* name;
    GlmFamilyType type;
  };
  static const Alias kAliases[] = {
      {"bernoulli-logit", GlmFamilyType::kBernoulliLogit},
      {"bernoulli-probit", GlmFamilyType::kBernoulliProbit},
      {"bernoulli-cloglog", GlmFamilyType::kBernoulliCloglog},
      {"poisson-log", GlmFamilyType::kPoissonLog},
      {"gaussian-identity", GlmFamilyType::kGaussianIdentity},
  };
  for (const Alias& alias : kAliases) {
    if (name == alias.name || name == ToString(alias.type)) {
      *type = alias.type;
      return true;
    }
  }
  return false;
}

std::vector<std::string> GlmFamilyNames() {
  return {"logistic", "probit", "cloglog", "poisson", "gaussian"};
}

namespace {

// Bernoulli response (a proportion y ∈ [0, 1]) with the canonical logit link.
//   ℓ = y log μ + (1 − y) log(1 − μ) = −y softplus(−η) − (1 − y) softplus(η)
//   dℓ/dη = y − μ,   −d²ℓ/dη² = μ(1 − μ)  (the same observed and expected).
// Writing ℓ with softplus of the sign that applies keeps it exact where
// y η − softplus(η) would cancel (|η| large).
class BernoulliLogitFamily final : public GlmFamily {
 public:
  std::optional<GlmFamilyType> type() const override {
    return GlmFamilyType::kBernoulliLogit;
  }
  GlmDistribution distribution() const override {
    return GlmDistribution::kBinomial;
  }
  GlmLink link() const override { return GlmLink::kLogit; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      if (log_likelihood != nullptr) {
        (*log_likelihood)[i] =
            -y[i] * Softplus(-eta[i]) - (1.0 - y[i]) * Softplus(eta[i]);
      }
      if (dl_deta != nullptr) (*dl_deta)[i] = y[i] - Sigmoid(eta[i]);
      if (observed_weight != nullptr) {
        (*observed_weight)[i] = Sigmoid(eta[i]) * Sigmoid(-eta[i]);
      }
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*weights)[i] = Sigmoid(eta[i]) * Sigmoid(-eta[i]);
    }
  }

  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = uniform(*rng) < Sigmoid(eta[i]) ? 1.0 : 0.0;
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    return uniform(*engine) < Sigmoid(eta) ? 1.0 : 0.0;
  }
};

// Bernoulli response (a proportion y ∈ [0, 1]) with the probit link
// μ = Φ(η). With λ = φ/Φ the inverse Mills ratio and A(z) = z + λ(z):
//   ℓ = y log Φ(η) + (1 − y) log Φ(−η),
//   dℓ/dη = y λ(η) − (1 − y) λ(−η),
//   −d²ℓ/dη² = y λ(η) A(η) + (1 − y) λ(−η) A(−η)   (λ'(z) = −λ(z) A(z)),
//   expected weight = φ(η)² / (Φ(η)Φ(−η)) = λ(η) λ(−η).
// A term with a zero coefficient is skipped, so y ∈ {0, 1} gives exactly
// log Φ(qη), q = 2y − 1. Not canonical: the observed weight depends on y and
// differs from the expected one away from the data.
class BernoulliProbitFamily final : public GlmFamily {
 public:
  std::optional<GlmFamilyType> type() const override {
    return GlmFamilyType::kBernoulliProbit;
  }
  GlmDistribution distribution() const override {
    return GlmDistribution::kBinomial;
  }
  GlmLink link() const override { return GlmLink::kProbit; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      // Success (z = η, weight y) and failure (z = −η, weight 1 − y) terms.
      const double success = y[i];
      const double failure = 1.0 - y[i];
      // λ only when a derivative is asked for (a line search asks for ℓ).
      const bool derivatives = dl_deta != nullptr || observed_weight != nullptr;
      double l = 0.0, d = 0.0, w = 0.0;
      if (success != 0.0) {
        if (log_likelihood != nullptr) l += success * LogNormalCdf(eta[i]);
        const double mills = derivatives ? InverseMillsRatio(eta[i]) : 0.0;
        d += success * mills;
        if (observed_weight != nullptr) {
          w += success * mills * ArgumentPlusMills(eta[i]);
        }
      }
      if (failure != 0.0) {
        if (log_likelihood != nullptr) l += failure * LogNormalCdf(-eta[i]);
        const double mills = derivatives ? InverseMillsRatio(-eta[i]) : 0.0;
        d -= failure * mills;
        if (observed_weight != nullptr) {
          w += failure * mills * ArgumentPlusMills(-eta[i]);
        }
      }
      if (log_likelihood != nullptr) (*log_likelihood)[i] = l;
      if (dl_deta != nullptr) (*dl_deta)[i] = d;
      if (observed_weight != nullptr) (*observed_weight)[i] = w;
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*weights)[i] = InverseMillsRatio(eta[i]) * InverseMillsRatio(-eta[i]);
    }
  }

  // y = 1{η + ε > 0}, ε ~ N(0, 1): P(y = 1) = Φ(η).
  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = eta[i] + normal(*rng) > 0.0 ? 1.0 : 0.0;
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    return eta + normal(*engine) > 0.0 ? 1.0 : 0.0;
  }
};

// Bernoulli response (a proportion y ∈ [0, 1]) with the complementary
// log-log link μ = 1 − exp(−u), u = e^η:
//   ℓ = y log(1 − e^−u) − (1 − y) u,
//   dℓ/dη = y u/(e^u − 1) − (1 − y) u,
//   −d²ℓ/dη² = y g(u)(u/(1 − e^−u) − 1) + (1 − y) u,   g(u) = u/(e^u − 1),
//   expected weight = u² e^−u / (1 − e^−u) = u g(u).
// Not canonical. u = e^η is finite for η ≤ 709; every form above stays finite
// when e^u overflows (g → 0) or u underflows (g → 1). A term with a zero
// coefficient (y or 1 − y) is skipped.
class BernoulliCloglogFamily final : public GlmFamily {
 public:
  std::optional<GlmFamilyType> type() const override {
    return GlmFamilyType::kBernoulliCloglog;
  }
  GlmDistribution distribution() const override {
    return GlmDistribution::kBinomial;
  }
  GlmLink link() const override { return GlmLink::kCloglog; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = std::exp(eta[i]);
      const double success = y[i];
      const double failure = 1.0 - y[i];
      double l = 0.0, d = 0.0, w = 0.0;
      if (success != 0.0) {
        // log(1 − e^−u) = η − u/2 + O(u²) when u is tiny (no underflow).
        if (log_likelihood != nullptr) {
          l += success *
               (eta[i] < -20.0 ? eta[i] - 0.5 * u : LogOneMinusExpMinus(u));
        }
        const double g = dl_deta != nullptr || observed_weight != nullptr
                             ? UOverExpm1(u)
                             : 0.0;
        d += success * g;
        if (observed_weight != nullptr) {
          w += success * g * UOverOneMinusExpMinusUMinusOne(u);
        }
      }
      if (failure != 0.0) {
        l -= failure * u;
        d -= failure * u;
        w += failure * u;
      }
      if (log_likelihood != nullptr) (*log_likelihood)[i] = l;
      if (dl_deta != nullptr) (*dl_deta)[i] = d;
      if (observed_weight != nullptr) (*observed_weight)[i] = w;
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      const double u = std::exp(eta[i]);
      (*weights)[i] = u * UOverExpm1(u);
    }
  }

  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      const double mu = -std::expm1(-std::exp(eta[i]));
      (*y)[i] = uniform(*rng) < mu ? 1.0 : 0.0;
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    return uniform(*engine) < -std::expm1(-std::exp(eta)) ? 1.0 : 0.0;
  }
};

// Poisson response with the canonical log link μ = e^η:
//   ℓ = y η − e^η − log y!,   dℓ/dη = y − e^η,   −d²ℓ/dη² = e^η (= expected).
// e^η is finite for η ≤ 709.
class PoissonLogFamily final : public GlmFamily {
 public:
  std::optional<GlmFamilyType> type() const override {
    return GlmFamilyType::kPoissonLog;
  }
  GlmDistribution distribution() const override {
    return GlmDistribution::kPoisson;
  }
  GlmLink link() const override { return GlmLink::kLog; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double mu = std::exp(eta[i]);
      if (log_likelihood != nullptr) {
        // y η is 0 (not NaN) when y = 0, whatever η.
        const double y_eta = y[i] == 0.0 ? 0.0 : y[i] * eta[i];
        (*log_likelihood)[i] = y_eta - mu - std::lgamma(y[i] + 1.0);
      }
      if (dl_deta != nullptr) (*dl_deta)[i] = y[i] - mu;
      if (observed_weight != nullptr) (*observed_weight)[i] = mu;
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    *weights = eta.array().exp();
  }

  // Exact draws (std::poisson_distribution) for μ ≤ 1e12; above, the normal
  // approximation round(μ + √μ ε), whose skewness 1/√μ is below 1e-6.
  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = DrawWith(eta[i], rng, &normal);
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    return DrawWith(eta, engine, &normal);
  }

 private:
  template <typename Engine>
  static double DrawWith(double eta, Engine* engine,
                         std::normal_distribution<double>* normal) {
    constexpr double kLargestExactMean = 1e12;
    const double mu = std::exp(eta);
    if (mu <= kLargestExactMean) {
      std::poisson_distribution<long long> poisson(mu);
      return static_cast<double>(poisson(*engine));
    }
    return std::max(0.0, std::round(mu + std::sqrt(mu) * (*normal)(*engine)));
  }
};

// Gaussian response, identity link, dispersion φ = 1 (see glm_family.h):
//   ℓ = −½(y − η)² − ½ log 2π,   dℓ/dη = y − η,   −d²ℓ/dη² = 1 (= expected).
class GaussianIdentityFamily final : public GlmFamily {
 public:
  std::optional<GlmFamilyType> type() const override {
    return GlmFamilyType::kGaussianIdentity;
  }
  GlmDistribution distribution() const override {
    return GlmDistribution::kGaussian;
  }
  GlmLink link() const override { return GlmLink::kIdentity; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    if (log_likelihood != nullptr) {
      *log_likelihood = -0.5 * (y - eta).array().square() - kLogSqrtTwoPi;
    }
    if (dl_deta != nullptr) *dl_deta = y - eta;
    if (observed_weight != nullptr) observed_weight->setOnes(n);
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->setOnes(eta.size());
  }

  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = eta[i] + normal(*rng);
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    std::normal_distribution<double> normal(0.0, 1.0);
    return eta + normal(*engine);
  }
};

}  // namespace

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Any pair of a distribution and an allowed link, from μ(η), its
// derivatives and V(μ) (see glm_family.h).
class GenericGlmFamily final : public GlmFamily {
 public:
  GenericGlmFamily(GlmDistribution distribution, GlmLink link)
      : distribution_(distribution),
        link_(link),
        response_(DistributionOf(distribution)) {}

  std::optional<GlmFamilyType> type() const override { return std::nullopt; }
  GlmDistribution distribution() const override { return distribution_; }
  GlmLink link() const override { return link_; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      const Scalars at = ScalarsAt(eta[i]);
      const double residual = response_.Residual(y[i], at.mu, at.complement);
      if (log_likelihood != nullptr) {
        // log μ exactly η under the log link.
        const double log_mu = link_ == GlmLink::kLog ? eta[i] : std::log(at.mu);
        (*log_likelihood)[i] =
            response_.LogDensity(y[i], at.mu, log_mu, at.complement);
      }
      if (dl_deta != nullptr) (*dl_deta)[i] = residual * at.a;
      if (observed_weight != nullptr) {
        (*observed_weight)[i] = at.b - residual * at.da;
      }
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*weights)[i] = ScalarsAt(eta[i]).b;
    }
  }

  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = IsValidLinearPredictor(eta[i])
                    ? response_.Draw(LinkMean(link_, eta[i]), rng)
                    : kNaN;
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    return IsValidLinearPredictor(eta)
               ? response_.Draw(LinkMean(link_, eta), engine)
               : kNaN;
  }

 private:
  // μ, 1 − μ and the weight factors at η: a = μ'/V, b = μ'²/V, da = da/dη.
  struct Scalars {
    double mu, complement, a, b, da;
  };

  Scalars ScalarsAt(double eta) const {
    if (!IsValidLinearPredictor(eta)) return {kNaN, kNaN, kNaN, kNaN, kNaN};
    Scalars at;
    at.mu = LinkMean(link_, eta);
    at.complement = LinkMeanComplement(link_, eta);
    const int power = response_.VariancePower();
    if (link_ == GlmLink::kLog && power >= 0) {
      // μ' = μ = e^η: a = e^{(1−p)η}, b = e^{(2−p)η}, da = (1 − p) a.
      at.a = std::exp((1 - power) * eta);
      at.b = std::exp((2 - power) * eta);
      at.da = (1 - power) * at.a;
      return at;
    }
    const double d1 = LinkMeanDerivative(link_, eta);
    const double d2 = LinkMeanSecondDerivative(link_, eta);
    const double variance = response_.Variance(at.mu, at.complement);
    const double variance_derivative =
        response_.VarianceDerivative(at.mu, at.complement);
    at.a = d1 / variance;
    at.b = d1 * at.a;
    at.da = (d2 - d1 * at.a * variance_derivative) / variance;
    return at;
  }

  GlmDistribution distribution_;
  GlmLink link_;
  const ResponseDistribution& response_;
};

// log Γ(y + θ) − log Γ(θ) − log y!, the part of the negative binomial's ℓ
// that does not depend on μ.
double NegativeBinomialConstant(double y, double theta) {
  return std::lgamma(y + theta) - std::lgamma(theta) - std::lgamma(y + 1.0);
}

// MASS's negative.binomial(θ) with the log or identity link (see
// CreateNegativeBinomialFamily in glm_family.h).
class NegativeBinomialFamily final : public GlmFamily {
 public:
  NegativeBinomialFamily(double theta, GlmLink link)
      : theta_(theta), log_theta_(std::log(theta)), link_(link) {}

  std::optional<GlmFamilyType> type() const override { return std::nullopt; }
  GlmDistribution distribution() const override {
    return GlmDistribution::kNegativeBinomial;
  }
  GlmLink link() const override { return link_; }
  std::optional<double> Theta() const override { return theta_; }
  bool IsCanonical() const override { return false; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      double l = kNaN, d = kNaN, w = kNaN;
      if (link_ == GlmLink::kLog) {
        const double t = eta[i] - log_theta_;
        const double up = Sigmoid(t), down = Sigmoid(-t);
        if (log_likelihood != nullptr) {
          l = NegativeBinomialConstant(y[i], theta_) - theta_ * Softplus(t) -
              (y[i] == 0.0 ? 0.0 : y[i] * Softplus(-t));
        }
        d = y[i] * down - theta_ * up;
        w = (theta_ + y[i]) * up * down;
      } else if (IsValidLinearPredictor(eta[i])) {
        // Identity: μ = η, a = 1/V, da/dη = −V'/V².
        const double mu = eta[i];
        const double variance = Variance(mu);
        const double residual = y[i] - mu;
        if (log_likelihood != nullptr) {
          l = LogDensityAtMean(y[i], mu);
        }
        d = residual / variance;
        w = (1.0 + residual * (1.0 + 2.0 * mu / theta_) / variance) / variance;
      }
      if (log_likelihood != nullptr) (*log_likelihood)[i] = l;
      if (dl_deta != nullptr) (*dl_deta)[i] = d;
      if (observed_weight != nullptr) (*observed_weight)[i] = w;
    }
  }

  void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                       Eigen::VectorXd* weights) const override {
    weights->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      if (link_ == GlmLink::kLog) {
        (*weights)[i] = theta_ * Sigmoid(eta[i] - log_theta_);
      } else {
        (*weights)[i] =
            IsValidLinearPredictor(eta[i]) ? 1.0 / Variance(eta[i]) : kNaN;
      }
    }
  }

  void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta, RandomEngine* rng,
              Eigen::VectorXd* y) const override {
    y->resize(eta.size());
    for (Eigen::Index i = 0; i < eta.size(); ++i) {
      (*y)[i] = DrawWith(eta[i], rng);
    }
  }

  double Draw(double eta, RowRandomEngine* engine) const override {
    return DrawWith(eta, engine);
  }

  double Variance(double mu) const override { return mu + mu * (mu / theta_); }

  // 2[y log(y/μ) − (y + θ) log((y + θ)/(μ + θ))]
  //   = 2[μ f((y − μ)/μ) − (μ + θ) f((y − μ)/(μ + θ))]
  // (f as DevianceKernel; the linear parts y − μ cancel exactly), and
  // 2θ log(1 + μ/θ) at y = 0.
  double UnitDeviance(double y, double mu) const override {
    if (y == 0.0) return 2.0 * theta_ * std::log1p(mu / theta_);
    return 2.0 *
           std::max(0.0, mu * DevianceKernel((y - mu) / mu) -
                             (mu + theta_) *
                                 DevianceKernel((y - mu) / (mu + theta_)));
  }

  double Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
             const Eigen::Ref<const Eigen::VectorXd>& mu,
             const Eigen::Ref<const Eigen::VectorXd>& weights,
             double /*deviance*/) const override {
    double sum = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const double w = weights.size() == 0 ? 1.0 : weights[i];
      sum += w * LogDensityAtMean(y[i], mu[i]);
    }
    return -2.0 * sum;
  }

 private:
  // ℓ(y; μ, θ) = C − θ log(1 + μ/θ) − y log(1 + θ/μ).
  double LogDensityAtMean(double y, double mu) const {
    return NegativeBinomialConstant(y, theta_) -
           theta_ * std::log1p(mu / theta_) -
           (y == 0.0 ? 0.0 : y * std::log1p(theta_ / mu));
  }

  // A gamma–Poisson mixture: λ ~ Gamma(θ, scale μ/θ), y ~ Poisson(λ).
  template <typename Engine>
  double DrawWith(double eta, Engine* engine) const {
    if (!IsValidLinearPredictor(eta)) return kNaN;
    const double mu = Mean(eta);
    std::gamma_distribution<double> gamma(theta_, mu / theta_);
    return DistributionOf(GlmDistribution::kPoisson)
        .Draw(gamma(*engine), engine);
  }

  double theta_;
  double log_theta_;
  GlmLink link_;
};

}  // namespace

std::string GlmFamily::Name() const {
  const std::optional<GlmFamilyType> preset = type();
  if (preset.has_value()) return ToString(*preset);
  return RName() + "(" + RLinkName() + ")";
}

bool GlmFamily::IsValidResponse(double y) const {
  return std::isfinite(y) && DistributionOf(distribution()).IsValidResponse(y);
}

bool GlmFamily::IsValidLinearPredictor(double eta) const {
  if (!IsValidLinkPredictor(link(), eta)) return false;
  // The mean's range, from the sign of η where the link alone allows a
  // mean outside it.
  switch (DistributionOf(distribution()).Range()) {
    case ResponseDistribution::MeanRange::kUnitInterval:
      return link() != GlmLink::kLog || eta < 0.0;
    case ResponseDistribution::MeanRange::kReal:
      return true;
    case ResponseDistribution::MeanRange::kPositive:
      return link() == GlmLink::kLog || eta > 0.0;
  }
  return false;
}

double GlmFamily::Mean(double eta) const { return LinkMean(link(), eta); }

double GlmFamily::LinkFunction(double mu) const {
  return fisheropt::LinkFunction(link(), mu);
}

double GlmFamily::Variance(double mu) const {
  return DistributionOf(distribution()).Variance(mu, 1.0 - mu);
}

double GlmFamily::UnitDeviance(double y, double mu) const {
  return DistributionOf(distribution()).UnitDeviance(y, mu);
}

bool GlmFamily::IsCanonical() const {
  return link() == AllowedLinks(distribution()).front();
}

bool GlmFamily::HasDispersion() const {
  return DistributionOf(distribution()).HasDispersion();
}

std::string GlmFamily::RName() const { return ToString(distribution()); }

std::string GlmFamily::RLinkName() const { return ToString(link()); }

double GlmFamily::StartingMean(double y, double weight) const {
  return DistributionOf(distribution()).StartingMean(y, weight);
}

double GlmFamily::Aic(const Eigen::Ref<const Eigen::VectorXd>& y,
                      const Eigen::Ref<const Eigen::VectorXd>& mu,
                      const Eigen::Ref<const Eigen::VectorXd>& weights,
                      double deviance) const {
  return DistributionOf(distribution()).Aic(y, mu, weights, deviance);
}

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmFamilyType type) {
  switch (type) {
    case GlmFamilyType::kBernoulliLogit:
      return std::make_unique<BernoulliLogitFamily>();
    case GlmFamilyType::kBernoulliProbit:
      return std::make_unique<BernoulliProbitFamily>();
    case GlmFamilyType::kBernoulliCloglog:
      return std::make_unique<BernoulliCloglogFamily>();
    case GlmFamilyType::kPoissonLog:
      return std::make_unique<PoissonLogFamily>();
    case GlmFamilyType::kGaussianIdentity:
      return std::make_unique<GaussianIdentityFamily>();
  }
  return nullptr;
}

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmDistribution distribution,
                                           GlmLink link, std::string* error) {
  if (distribution == GlmDistribution::kNegativeBinomial) {
    if (error != nullptr) {
      *error =
          "the negative.binomial family needs its theta "
          "(CreateNegativeBinomialFamily)";
    }
    return nullptr;
  }
  const std::vector<GlmLink> allowed = AllowedLinks(distribution);
  if (std::find(allowed.begin(), allowed.end(), link) == allowed.end()) {
    if (error != nullptr) {
      std::ostringstream message;
      message << "link \"" << ToString(link) << "\" is not available for the "
              << ToString(distribution) << " family; available links: ";
      for (size_t k = 0; k < allowed.size(); ++k) {
        message << (k > 0 ? ", " : "") << ToString(allowed[k]);
      }
      *error = message.str();
    }
    return nullptr;
  }
  // The exact preset class where the pair is one.
  for (GlmFamilyType type :
       {GlmFamilyType::kBernoulliLogit, GlmFamilyType::kBernoulliProbit,
        GlmFamilyType::kBernoulliCloglog, GlmFamilyType::kPoissonLog,
        GlmFamilyType::kGaussianIdentity}) {
    std::unique_ptr<GlmFamily> preset = CreateGlmFamily(type);
    if (preset->distribution() == distribution && preset->link() == link) {
      return preset;
    }
  }
  return std::make_unique<GenericGlmFamily>(distribution, link);
}

std::unique_ptr<GlmFamily> CreateNegativeBinomialFamily(double theta,
                                                        GlmLink link,
                                                        std::string* error) {
  if (!(theta > 0.0) || !std::isfinite(theta)) {
    if (error != nullptr) {
      std::ostringstream message;
      message << "negative.binomial theta = " << theta
              << " must be positive and finite";
      *error = message.str();
    }
    return nullptr;
  }
  if (link != GlmLink::kLog && link != GlmLink::kIdentity) {
    if (error != nullptr) {
      *error = "link \"" + ToString(link) +
               "\" is not available for the negative.binomial family; "
               "available links: log, identity";
    }
    return nullptr;
  }
  return std::make_unique<NegativeBinomialFamily>(theta, link);
}

}  // namespace fisheropt
