#ifndef FISHEROPT_PROBLEMS_GLM_LINK_H_
#define FISHEROPT_PROBLEMS_GLM_LINK_H_

#include <string>
#include <vector>

namespace fisheropt {

// A GLM's link g, η = g(μ), with R's names (make.link). The functions below
// are the scalar pieces a family is built from: the mean μ(η) = g⁻¹(η), its
// first two derivatives in η, and g itself.
//
// Every link is written without overflow or cancellation where its formula
// would have them (logit via the logistic function, probit via erfc and the
// Mills-ratio series, cloglog via expm1/log1p, cauchit via atan of the
// reciprocal in the tails), so that μ and 1 − μ keep their relative accuracy
// for |η| up to 700.
//
// Valid η: logit, probit, cloglog, cauchit, log and identity accept every
// finite η; "inverse" (μ = 1/η) needs η ≠ 0, "1/mu^2" (μ = η^(−1/2)) and
// "sqrt" (μ = η²) need η > 0 — the restrictions of R's valideta. A distribution
// may narrow the domain further (a positive mean needs η > 0 under the identity
// link): GlmFamily::IsValidLinearPredictor.
//
// The links, in enum order: (enumerator, class). Each class (glm_link.cc)
// holds R's name and the functions below for its link; adding a link is its
// class plus one line here.
// One entry per line, each ending in a backslash, so that adding an entry
// is a one-line diff.
// clang-format off
#define FISHEROPT_GLM_LINKS(X) \
  X(kLogit, LogitLink) \
  X(kProbit, ProbitLink) \
  X(kCloglog, CloglogLink) \
  X(kCauchit, CauchitLink) \
  X(kLog, LogLink) \
  X(kIdentity, IdentityLink) \
  X(kInverse, InverseLink) \
  X(kInverseSquare, InverseSquareLink) \
  X(kSqrt, SqrtLink) \
  /* (new entries above this line) */
// clang-format on

//   kLogit          "logit":    μ = 1 / (1 + e^−η)
//   kProbit         "probit":   μ = Φ(η)
//   kCloglog        "cloglog":  μ = 1 − exp(−e^η)
//   kCauchit        "cauchit":  μ = ½ + atan(η)/π
//   kLog            "log":      μ = e^η
//   kIdentity       "identity": μ = η
//   kInverse        "inverse":  μ = 1/η
//   kInverseSquare  "1/mu^2":   μ = 1/√η
//   kSqrt           "sqrt":     μ = η²
enum class GlmLink {
#define FISHEROPT_GLM_LINK_ENUMERATOR(enumerator, link_class) enumerator,
  FISHEROPT_GLM_LINKS(FISHEROPT_GLM_LINK_ENUMERATOR)
#undef FISHEROPT_GLM_LINK_ENUMERATOR
};

// R's name of the link ("logit", ..., "1/mu^2").
std::string ToString(GlmLink link);
// Accepts R's names; returns false when unknown.
bool FromString(const std::string& name, GlmLink* link);
// Every link's name, in enum order.
std::vector<std::string> GlmLinkNames();

// μ(η) = g⁻¹(η). NaN where the link is not valid at η.
double LinkMean(GlmLink link, double eta);
// 1 − μ(η), accurate where μ is close to 1 (the binomial links; for the other
// links simply 1 − μ).
double LinkMeanComplement(GlmLink link, double eta);
// dμ/dη and d²μ/dη² at η.
double LinkMeanDerivative(GlmLink link, double eta);
double LinkMeanSecondDerivative(GlmLink link, double eta);
// η = g(μ) (R's linkfun): the inverse of LinkMean on the link's range. The
// probit's Φ⁻¹(μ) is Newton's method on log Φ(η) = log μ, which converges
// monotonically (log Φ is increasing and concave), from the
// Abramowitz–Stegun 26.2.23 approximation: ±∞ at μ = 0, 1; NaN outside.
double LinkFunction(GlmLink link, double mu);
// True when η is finite and in the link's domain (see above).
bool IsValidLinkPredictor(GlmLink link, double eta);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_LINK_H_
