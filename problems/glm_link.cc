#include "problems/glm_link.h"

#include <cmath>
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

}  // namespace

std::string ToString(GlmLink link) {
  switch (link) {
    case GlmLink::kLogit:
      return "logit";
    case GlmLink::kProbit:
      return "probit";
    case GlmLink::kCloglog:
      return "cloglog";
    case GlmLink::kCauchit:
      return "cauchit";
    case GlmLink::kLog:
      return "log";
    case GlmLink::kIdentity:
      return "identity";
    case GlmLink::kInverse:
      return "inverse";
    case GlmLink::kInverseSquare:
      return "1/mu^2";
  }
  return "unknown";
}

bool FromString(const std::string& name, GlmLink* link) {
  for (GlmLink candidate :
       {GlmLink::kLogit, GlmLink::kProbit, GlmLink::kCloglog, GlmLink::kCauchit,
        GlmLink::kLog, GlmLink::kIdentity, GlmLink::kInverse,
        GlmLink::kInverseSquare}) {
    if (name == ToString(candidate)) {
      *link = candidate;
      return true;
    }
  }
  return false;
}

std::vector<std::string> GlmLinkNames() {
  return {"logit", "probit",   "cloglog", "cauchit",
          "log",   "identity", "inverse", "1/mu^2"};
}

bool IsValidLinkPredictor(GlmLink link, double eta) {
  if (!std::isfinite(eta)) return false;
  switch (link) {
    case GlmLink::kInverse:
      return eta != 0.0;
    case GlmLink::kInverseSquare:
      return eta > 0.0;
    case GlmLink::kLogit:
    case GlmLink::kProbit:
    case GlmLink::kCloglog:
    case GlmLink::kCauchit:
    case GlmLink::kLog:
    case GlmLink::kIdentity:
      return true;
  }
  return false;
}

double LinkMean(GlmLink link, double eta) {
  if (!IsValidLinkPredictor(link, eta)) return kNaN;
  switch (link) {
    case GlmLink::kLogit:
      return Sigmoid(eta);
    case GlmLink::kProbit:
      return NormalCdf(eta);
    case GlmLink::kCloglog:
      return -std::expm1(-std::exp(eta));
    case GlmLink::kCauchit:
      return CauchyCdf(eta);
    case GlmLink::kLog:
      return std::exp(eta);
    case GlmLink::kIdentity:
      return eta;
    case GlmLink::kInverse:
      return 1.0 / eta;
    case GlmLink::kInverseSquare:
      return 1.0 / std::sqrt(eta);
  }
  return kNaN;
}

double LinkMeanComplement(GlmLink link, double eta) {
  if (!IsValidLinkPredictor(link, eta)) return kNaN;
  switch (link) {
    case GlmLink::kLogit:
      return Sigmoid(-eta);
    case GlmLink::kProbit:
      return NormalCdf(-eta);
    case GlmLink::kCloglog:
      return std::exp(-std::exp(eta));
    case GlmLink::kCauchit:
      return CauchyCdf(-eta);
    case GlmLink::kLog:
      return -std::expm1(eta);
    case GlmLink::kIdentity:
    case GlmLink::kInverse:
    case GlmLink::kInverseSquare:
      return 1.0 - LinkMean(link, eta);
  }
  return kNaN;
}

double LinkMeanDerivative(GlmLink link, double eta) {
  if (!IsValidLinkPredictor(link, eta)) return kNaN;
  switch (link) {
    case GlmLink::kLogit:
      return Sigmoid(eta) * Sigmoid(-eta);
    case GlmLink::kProbit:
      return NormalPdf(eta);
    case GlmLink::kCloglog:
      // e^η exp(−e^η) = exp(η − e^η): no ∞ · 0 at large η.
      return std::exp(eta - std::exp(eta));
    case GlmLink::kCauchit:
      return 1.0 / (kPi * (1.0 + eta * eta));
    case GlmLink::kLog:
      return std::exp(eta);
    case GlmLink::kIdentity:
      return 1.0;
    case GlmLink::kInverse:
      return -1.0 / (eta * eta);
    case GlmLink::kInverseSquare:
      return -0.5 / (eta * std::sqrt(eta));
  }
  return kNaN;
}

double LinkMeanSecondDerivative(GlmLink link, double eta) {
  if (!IsValidLinkPredictor(link, eta)) return kNaN;
  switch (link) {
    case GlmLink::kLogit:
      // μ'(1 − 2μ) = μ'(σ(−η) − σ(η)).
      return Sigmoid(eta) * Sigmoid(-eta) * (Sigmoid(-eta) - Sigmoid(eta));
    case GlmLink::kProbit:
      return -eta * NormalPdf(eta);
    case GlmLink::kCloglog:
      return std::exp(eta - std::exp(eta)) * -std::expm1(eta);
    case GlmLink::kCauchit: {
      const double q = 1.0 + eta * eta;
      return -2.0 * eta / (kPi * q * q);
    }
    case GlmLink::kLog:
      return std::exp(eta);
    case GlmLink::kIdentity:
      return 0.0;
    case GlmLink::kInverse:
      return 2.0 / (eta * eta * eta);
    case GlmLink::kInverseSquare:
      return 0.75 / (eta * eta * std::sqrt(eta));
  }
  return kNaN;
}

double LinkFunction(GlmLink link, double mu) {
  switch (link) {
    case GlmLink::kLogit:
      return std::log(mu) - std::log1p(-mu);
    case GlmLink::kProbit:
      return ProbitQuantile(mu);
    case GlmLink::kCloglog:
      return std::log(-std::log1p(-mu));
    case GlmLink::kCauchit:
      // tan(π(μ − ½)) = −1/tan(πμ), from the tail nearer to μ.
      if (!(mu >= 0.0 && mu <= 1.0)) return kNaN;
      return mu < 0.5 ? -1.0 / std::tan(kPi * mu)
                      : 1.0 / std::tan(kPi * (1.0 - mu));
    case GlmLink::kLog:
      return std::log(mu);
    case GlmLink::kIdentity:
      return mu;
    case GlmLink::kInverse:
      return 1.0 / mu;
    case GlmLink::kInverseSquare:
      return 1.0 / (mu * mu);
  }
  return kNaN;
}

}  // namespace fisheropt
