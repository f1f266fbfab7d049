#include "problems/glm_link.h"

#include <cmath>
#include <iterator>
#include <limits>

#include "problems/glm_family.h"

namespace fisheropt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kPi = 3.14159265358979323846;

// The standard Cauchy CDF ½ + atan(x)/π. For x < 0 it equals atan(−1/x)/π,
// which keeps its relative accuracy in the lower tail where ½ + atan(x)/π
// cancels.
double CauchyCdf(double x) {
  if (x < -1.0) return std::atan(-1.0 / x) / kPi;
  return 0.5 + std::atan(x) / kPi;
}

// Φ⁻¹(p) (see LinkFunction in glm_link.h).
double ProbitQuantile(double p) {
  if (!(p >= 0.0 && p <= 1.0)) return kNaN;
  if (p == 0.0) return -kInfinity;
  if (p == 1.0) return kInfinity;
  if (p == 0.5) return 0.0;
  // Φ⁻¹(p) = −Φ⁻¹(1 − p); 1 − p is exact for p ≥ ½.
  if (p > 0.5) return -ProbitQuantile(1.0 - p);
  // Abramowitz–Stegun 26.2.23 (absolute error below 4.5e-4) as the start.
  const double t = std::sqrt(-2.0 * std::log(p));
  double x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) /
                       (1.0 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  const double log_p = std::log(p);
  for (int k = 0; k < 50; ++k) {
    const double step = (LogNormalCdf(x) - log_p) / InverseMillsRatio(x);
    x -= step;
    if (!(std::abs(step) > 1e-15 * (1.0 + std::abs(x)))) break;
  }
  return x;
}

// One class per link (FISHEROPT_GLM_LINKS): R's name and the link's
// functions on valid arguments (the table below checks η first). A link
// whose 1 − μ has no more accurate form than 1 − μ, or that accepts every
// finite η, takes those from LinkDefaults.
template <typename Link>
struct LinkDefaults {
  static bool IsValid(double /*eta*/) { return true; }
  static double MeanComplement(double eta) { return 1.0 - Link::Mean(eta); }
};

struct LogitLink {
  static constexpr const char* kName = "logit";
  static bool IsValid(double /*eta*/) { return true; }
  static double Mean(double eta) { return Sigmoid(eta); }
  static double MeanComplement(double eta) { return Sigmoid(-eta); }
  static double MeanDerivative(double eta) {
    return Sigmoid(eta) * Sigmoid(-eta);
  }
  // μ'(1 − 2μ) = μ'(σ(−η) − σ(η)).
  static double MeanSecondDerivative(double eta) {
    return Sigmoid(eta) * Sigmoid(-eta) * (Sigmoid(-eta) - Sigmoid(eta));
  }
  static double Link(double mu) { return std::log(mu) - std::log1p(-mu); }
};

struct ProbitLink {
  static constexpr const char* kName = "probit";
  static bool IsValid(double /*eta*/) { return true; }
  static double Mean(double eta) { return NormalCdf(eta); }
  static double MeanComplement(double eta) { return NormalCdf(-eta); }
  static double MeanDerivative(double eta) { return NormalPdf(eta); }
  static double MeanSecondDerivative(double eta) {
    return -eta * NormalPdf(eta);
  }
  static double Link(double mu) { return ProbitQuantile(mu); }
};

struct CloglogLink {
  static constexpr const char* kName = "cloglog";
  static bool IsValid(double /*eta*/) { return true; }
  static double Mean(double eta) { return -std::expm1(-std::exp(eta)); }
  static double MeanComplement(double eta) { return std::exp(-std::exp(eta)); }
  // e^η exp(−e^η) = exp(η − e^η): no ∞ · 0 at large η.
  static double MeanDerivative(double eta) {
    return std::exp(eta - std::exp(eta));
  }
  static double MeanSecondDerivative(double eta) {
    return std::exp(eta - std::exp(eta)) * -std::expm1(eta);
  }
  static double Link(double mu) { return std::log(-std::log1p(-mu)); }
};

struct CauchitLink {
  static constexpr const char* kName = "cauchit";
  static bool IsValid(double /*eta*/) { return true; }
  static double Mean(double eta) { return CauchyCdf(eta); }
  static double MeanComplement(double eta) { return CauchyCdf(-eta); }
  static double MeanDerivative(double eta) {
    return 1.0 / (kPi * (1.0 + eta * eta));
  }
  static double MeanSecondDerivative(double eta) {
    const double q = 1.0 + eta * eta;
    return -2.0 * eta / (kPi * q * q);
  }
  // tan(π(μ − ½)) = −1/tan(πμ), from the tail nearer to μ.
  static double Link(double mu) {
    if (!(mu >= 0.0 && mu <= 1.0)) return kNaN;
    return mu < 0.5 ? -1.0 / std::tan(kPi * mu)
                    : 1.0 / std::tan(kPi * (1.0 - mu));
  }
};

struct LogLink {
  static constexpr const char* kName = "log";
  static bool IsValid(double /*eta*/) { return true; }
  static double Mean(double eta) { return std::exp(eta); }
  static double MeanComplement(double eta) { return -std::expm1(eta); }
  static double MeanDerivative(double eta) { return std::exp(eta); }
  static double MeanSecondDerivative(double eta) { return std::exp(eta); }
  static double Link(double mu) { return std::log(mu); }
};

struct IdentityLink : LinkDefaults<IdentityLink> {
  static constexpr const char* kName = "identity";
  static double Mean(double eta) { return eta; }
  static double MeanDerivative(double /*eta*/) { return 1.0; }
  static double MeanSecondDerivative(double /*eta*/) { return 0.0; }
  static double Link(double mu) { return mu; }
};

struct InverseLink : LinkDefaults<InverseLink> {
  static constexpr const char* kName = "inverse";
  static bool IsValid(double eta) { return eta != 0.0; }
  static double Mean(double eta) { return 1.0 / eta; }
  static double MeanDerivative(double eta) { return -1.0 / (eta * eta); }
  static double MeanSecondDerivative(double eta) {
    return 2.0 / (eta * eta * eta);
  }
  static double Link(double mu) { return 1.0 / mu; }
};

struct InverseSquareLink : LinkDefaults<InverseSquareLink> {
  static constexpr const char* kName = "1/mu^2";
  static bool IsValid(double eta) { return eta > 0.0; }
  static double Mean(double eta) { return 1.0 / std::sqrt(eta); }
  static double MeanDerivative(double eta) {
    return -0.5 / (eta * std::sqrt(eta));
  }
  static double MeanSecondDerivative(double eta) {
    return 0.75 / (eta * eta * std::sqrt(eta));
  }
  static double Link(double mu) { return 1.0 / (mu * mu); }
};

struct SqrtLink : LinkDefaults<SqrtLink> {
  static constexpr const char* kName = "sqrt";
  static bool IsValid(double eta) { return eta > 0.0; }
  static double Mean(double eta) { return eta * eta; }
  static double MeanDerivative(double eta) { return 2.0 * eta; }
  static double MeanSecondDerivative(double /*eta*/) { return 2.0; }
  static double Link(double mu) { return std::sqrt(mu); }
};

// The registry: one entry per link, in enum order.
struct LinkEntry {
  const char* name;
  bool (*is_valid)(double);
  double (*mean)(double);
  double (*mean_complement)(double);
  double (*mean_derivative)(double);
  double (*mean_second_derivative)(double);
  double (*link)(double);
};

template <typename Link>
constexpr LinkEntry EntryOf() {
  return {Link::kName,
          &Link::IsValid,
          &Link::Mean,
          &Link::MeanComplement,
          &Link::MeanDerivative,
          &Link::MeanSecondDerivative,
          &Link::Link};
}

constexpr LinkEntry kLinks[] = {
#define FISHEROPT_GLM_LINK_ENTRY(enumerator, link_class) EntryOf<link_class>(),
    FISHEROPT_GLM_LINKS(FISHEROPT_GLM_LINK_ENTRY)
#undef FISHEROPT_GLM_LINK_ENTRY
};

const LinkEntry& Entry(GlmLink link) { return kLinks[static_cast<int>(link)]; }

}  // namespace

std::string ToString(GlmLink link) { return Entry(link).name; }

bool FromString(const std::string& name, GlmLink* link) {
  for (int k = 0; k < static_cast<int>(std::size(kLinks)); ++k) {
    if (name == kLinks[k].name) {
      *link = static_cast<GlmLink>(k);
      return true;
    }
  }
  return false;
}

std::vector<std::string> GlmLinkNames() {
  std::vector<std::string> names;
  for (const LinkEntry& entry : kLinks) names.push_back(entry.name);
  return names;
}

bool IsValidLinkPredictor(GlmLink link, double eta) {
  return std::isfinite(eta) && Entry(link).is_valid(eta);
}

double LinkMean(GlmLink link, double eta) {
  return IsValidLinkPredictor(link, eta) ? Entry(link).mean(eta) : kNaN;
}

double LinkMeanComplement(GlmLink link, double eta) {
  return IsValidLinkPredictor(link, eta) ? Entry(link).mean_complement(eta)
                                         : kNaN;
}

double LinkMeanDerivative(GlmLink link, double eta) {
  return IsValidLinkPredictor(link, eta) ? Entry(link).mean_derivative(eta)
                                         : kNaN;
}

double LinkMeanSecondDerivative(GlmLink link, double eta) {
  return IsValidLinkPredictor(link, eta)
             ? Entry(link).mean_second_derivative(eta)
             : kNaN;
}

double LinkFunction(GlmLink link, double mu) { return Entry(link).link(mu); }

}  // namespace fisheropt
