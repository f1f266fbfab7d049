#include "problems/glm_family.h"

#include <algorithm>
#include <cmath>

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

// Bernoulli response with the canonical logit link.
//   ℓ = y log μ + (1 − y) log(1 − μ) = −y softplus(−η) − (1 − y) softplus(η)
//   dℓ/dη = y − μ,   −d²ℓ/dη² = μ(1 − μ)  (the same observed and expected).
// Writing ℓ with softplus of the sign that applies keeps it exact where
// y η − softplus(η) would cancel (|η| large).
class BernoulliLogitFamily final : public GlmFamily {
 public:
  GlmFamilyType type() const override { return GlmFamilyType::kBernoulliLogit; }

  bool IsValidResponse(double y) const override { return y == 0.0 || y == 1.0; }

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

// Bernoulli response with the probit link μ = Φ(η). With q = 2y − 1 and
// z = qη (so that ℓ = log Φ(z) for both outcomes):
//   ℓ = log Φ(z),   dℓ/dη = q λ(z),   −d²ℓ/dη² = λ(z)(z + λ(z)),
//   expected weight = φ(η)² / (Φ(η)Φ(−η)) = λ(η) λ(−η),
// with λ = φ/Φ the inverse Mills ratio. Not canonical: the observed weight
// depends on y and differs from the expected one away from the data.
class BernoulliProbitFamily final : public GlmFamily {
 public:
  GlmFamilyType type() const override {
    return GlmFamilyType::kBernoulliProbit;
  }

  bool IsValidResponse(double y) const override { return y == 0.0 || y == 1.0; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double q = 2.0 * y[i] - 1.0;
      const double z = q * eta[i];
      if (log_likelihood != nullptr) (*log_likelihood)[i] = LogNormalCdf(z);
      if (dl_deta == nullptr && observed_weight == nullptr) continue;
      const double mills = InverseMillsRatio(z);
      if (dl_deta != nullptr) (*dl_deta)[i] = q * mills;
      if (observed_weight != nullptr) {
        (*observed_weight)[i] = mills * ArgumentPlusMills(z);
      }
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

// Bernoulli response with the complementary log-log link
// μ = 1 − exp(−u), u = e^η:
//   ℓ = y log(1 − e^−u) − (1 − y) u,
//   dℓ/dη = y u/(e^u − 1) − (1 − y) u,
//   −d²ℓ/dη² = y g(u)(u/(1 − e^−u) − 1) + (1 − y) u,   g(u) = u/(e^u − 1),
//   expected weight = u² e^−u / (1 − e^−u) = u g(u).
// Not canonical. u = e^η is finite for η ≤ 709; every form above stays finite
// when e^u overflows (g → 0) or u underflows (g → 1).
class BernoulliCloglogFamily final : public GlmFamily {
 public:
  GlmFamilyType type() const override {
    return GlmFamilyType::kBernoulliCloglog;
  }

  bool IsValidResponse(double y) const override { return y == 0.0 || y == 1.0; }

  void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                const Eigen::Ref<const Eigen::VectorXd>& y,
                Eigen::VectorXd* log_likelihood, Eigen::VectorXd* dl_deta,
                Eigen::VectorXd* observed_weight) const override {
    const Eigen::Index n = eta.size();
    ResizeOutputs(n, log_likelihood, dl_deta, observed_weight);
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = std::exp(eta[i]);
      const bool success = y[i] == 1.0;
      if (log_likelihood != nullptr) {
        // log(1 − e^−u) = η − u/2 + O(u²) when u is tiny (no underflow).
        (*log_likelihood)[i] =
            success
                ? (eta[i] < -20.0 ? eta[i] - 0.5 * u : LogOneMinusExpMinus(u))
                : -u;
      }
      if (dl_deta != nullptr) {
        (*dl_deta)[i] = success ? UOverExpm1(u) : -u;
      }
      if (observed_weight != nullptr) {
        (*observed_weight)[i] =
            success ? UOverExpm1(u) * UOverOneMinusExpMinusUMinusOne(u) : u;
      }
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
  GlmFamilyType type() const override { return GlmFamilyType::kPoissonLog; }

  bool IsValidResponse(double y) const override {
    return std::isfinite(y) && y >= 0.0 && y == std::floor(y);
  }

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
  GlmFamilyType type() const override {
    return GlmFamilyType::kGaussianIdentity;
  }

  bool IsValidResponse(double y) const override { return std::isfinite(y); }

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

}  // namespace fisheropt
