#ifndef FISHEROPT_STATS_NEGATIVE_BINOMIAL_H_
#define FISHEROPT_STATS_NEGATIVE_BINOMIAL_H_

#include <Eigen/Core>
#include <string>

#include "stats/data_frame.h"
#include "stats/glm_fit.h"
#include "stats/model_frame.h"

namespace fisheropt {

// A negative binomial GLM with θ estimated by maximum likelihood: what
// MASS::glm.nb and summary.negbin report.
struct NegativeBinomialFit {
  // The GLM at the final θ (family negative.binomial, dispersion 1, standard
  // errors at θ fixed as summary.negbin), with θ counted as an estimated
  // parameter: log_likelihood = twologlik / 2, num_estimated = rank + 1,
  // aic = −twologlik + 2 rank + 2 and bic likewise (R's logLik.negbin).
  GlmFit glm;
  double theta = 0.0;
  // 1/√(observed information of θ at θ̂ and the fitted means), as
  // MASS::theta.ml (which evaluates it one Newton step before its last,
  // at its tolerance 1.2e-4: glm.nb's SE.theta differs by ~1e-6 relative).
  double theta_se = 0.0;
  double two_log_likelihood = 0.0;  // glm.nb's twologlik
  // Alternations of β (Fisher scoring at θ fixed) and θ (theta.ml) after the
  // Poisson start, until θ and 2·loglik change by less than 1e-12 relative.
  int outer_iterations = 0;

  // GlmFit::Report with θ, its standard error and 2·loglik before the
  // solver's line.
  std::string Report(const std::string& call = "") const;
};

// MASS::theta.ml: the maximum-likelihood θ of negative binomial responses y
// with means μ and prior weights w (empty: all 1), by Newton's method on
// the score of θ (digamma and trigamma) from the moment estimate
// Σw / Σ w (y/μ − 1)², to a relative step of 1e-13. *theta_se is
// 1/√(observed information) at the estimate. `initial` > 0 replaces the
// moment start. False with a message when an iterate is not positive or
// finite (the data look Poisson or underdispersed: θ → ∞) or Newton does
// not converge in 100 steps.
bool EstimateNegativeBinomialTheta(const Eigen::Ref<const Eigen::VectorXd>& y,
                                   const Eigen::Ref<const Eigen::VectorXd>& mu,
                                   const Eigen::Ref<const Eigen::VectorXd>& w,
                                   double initial, double* theta,
                                   double* theta_se, std::string* error);

// R's glm.nb(formula, data, weights, link): a Poisson fit, θ from theta.ml
// at its means, then β (FitGlm with the negative.binomial(θ) family) and θ
// (theta.ml) in turn until both settle. spec gives the link (log when not
// set; log or identity), the solver and the covariance; spec.theta, when
// set, is the starting θ (glm.nb's init.theta) and must be positive and
// finite; spec.distribution and quasi_likelihood are ignored. Errors are one
// line naming the culprit.
bool FitNegativeBinomial(const std::string& formula, const DataFrame& data,
                         const GlmSpec& spec,
                         const ModelFrameOptions& frame_options,
                         NegativeBinomialFit* fit, std::string* error);

// ψ(x) and ψ'(x) for x > 0 (recurrence to x ≥ 15, then the asymptotic
// series; within 1e-14 relative).
double Digamma(double x);
double Trigamma(double x);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_NEGATIVE_BINOMIAL_H_
