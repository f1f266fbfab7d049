#include "stats/negative_binomial.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <utility>

#include "problems/glm_link.h"
#include "stats/formula.h"

namespace fisheropt {
namespace {

// θ and 2·loglik settle to this relative change; theta.ml's Newton steps
// stop below kThetaStepTolerance relative.
constexpr double kOuterTolerance = 1e-12;
constexpr double kThetaStepTolerance = 1e-13;
constexpr int kMaxOuterIterations = 100;
constexpr int kMaxThetaIterations = 100;
// Below this count an integer response's ψ(θ + y) − ψ(θ) is the exact sum
// Σ_{k<y} 1/(θ + k) (no cancellation of two large digammas).
constexpr double kLargestSummedCount = 1000.0;
// ψ and ψ' recur up to this x, where their asymptotic series (to x⁻¹² and
// x⁻¹³) leave terms below 1e-17.
constexpr double kAsymptoticStart = 15.0;

// ψ(θ + y) − ψ(θ) and ψ'(θ + y) − ψ'(θ).
double DigammaDifference(double theta, double y) {
  if (y == std::floor(y) && y <= kLargestSummedCount) {
    double sum = 0.0;
    for (int k = 0; k < static_cast<int>(y); ++k) sum += 1.0 / (theta + k);
    return sum;
  }
  return Digamma(theta + y) - Digamma(theta);
}

double TrigammaDifference(double theta, double y) {
  if (y == std::floor(y) && y <= kLargestSummedCount) {
    double sum = 0.0;
    for (int k = 0; k < static_cast<int>(y); ++k) {
      sum += 1.0 / ((theta + k) * (theta + k));
    }
    return -sum;
  }
  return Trigamma(theta + y) - Trigamma(theta);
}

double WeightAt(const Eigen::Ref<const Eigen::VectorXd>& w, Eigen::Index i) {
  return w.size() == 0 ? 1.0 : w[i];
}

// MASS's score and observed information of θ:
//   U(θ) = Σ w [ψ(θ + y) − ψ(θ) − log(1 + μ/θ) + (μ − y)/(μ + θ)],
//   I(θ) = Σ w [ψ'(θ) − ψ'(θ + y) − 1/θ + 2/(μ + θ) − (y + θ)/(μ + θ)²]
// (log θ + 1 − log(θ + μ) − (y + θ)/(μ + θ) written with log1p).
void ThetaScoreAndInformation(const Eigen::Ref<const Eigen::VectorXd>& y,
                              const Eigen::Ref<const Eigen::VectorXd>& mu,
                              const Eigen::Ref<const Eigen::VectorXd>& w,
                              double theta, double* score,
                              double* information) {
  double u = 0.0, info = 0.0;
  for (Eigen::Index i = 0; i < y.size(); ++i) {
    const double weight = WeightAt(w, i);
    if (weight == 0.0) continue;
    const double sum = mu[i] + theta;
    u += weight * (DigammaDifference(theta, y[i]) - std::log1p(mu[i] / theta) +
                   (mu[i] - y[i]) / sum);
    info += weight * (-TrigammaDifference(theta, y[i]) - 1.0 / theta +
                      2.0 / sum - (y[i] + theta) / (sum * sum));
  }
  *score = u;
  *information = info;
}

// μ = g⁻¹(Xβ + offset) of a fit of `design` (aliased coefficients count 0).
Eigen::VectorXd FittedMeans(const Dataset& design, const GlmFit& fit) {
  Eigen::VectorXd beta = fit.estimates;
  for (Eigen::Index j = 0; j < beta.size(); ++j) {
    if (fit.aliased[j]) beta[j] = 0.0;
  }
  Eigen::VectorXd eta = design.x * beta;
  if (design.HasOffset()) eta += design.offset;
  for (Eigen::Index i = 0; i < eta.size(); ++i) {
    eta[i] = LinkMean(fit.link, eta[i]);
  }
  return eta;
}

// 2 Σ w ℓ(y; μ, θ), glm.nb's twologlik.
double TwoLogLikelihood(const GlmFamily& family, const Dataset& design,
                        const Eigen::VectorXd& mu) {
  const Eigen::VectorXd weights =
      design.HasWeights() ? design.weights : Eigen::VectorXd();
  return -family.Aic(design.y, mu, weights, 0.0);
}

}  // namespace

double Digamma(double x) {
  double result = 0.0;
  while (x < kAsymptoticStart) {
    result -= 1.0 / x;
    x += 1.0;
  }
  const double inverse2 = 1.0 / (x * x);
  // ln x − 1/(2x) − Σ B_{2k}/(2k x^{2k}).
  const double series =
      inverse2 *
      (1.0 / 12.0 -
       inverse2 *
           (1.0 / 120.0 -
            inverse2 * (1.0 / 252.0 -
                        inverse2 * (1.0 / 240.0 -
                                    inverse2 * (1.0 / 132.0 -
                                                inverse2 * 691.0 / 32760.0)))));
  return result + std::log(x) - 0.5 / x - series;
}

double Trigamma(double x) {
  double result = 0.0;
  while (x < kAsymptoticStart) {
    result += 1.0 / (x * x);
    x += 1.0;
  }
  const double inverse = 1.0 / x;
  const double inverse2 = inverse * inverse;
  // 1/x + 1/(2x²) + Σ B_{2k}/x^{2k+1}.
  const double series =
      inverse * inverse2 *
      (1.0 / 6.0 -
       inverse2 *
           (1.0 / 30.0 -
            inverse2 * (1.0 / 42.0 -
                        inverse2 * (1.0 / 30.0 -
                                    inverse2 * (5.0 / 66.0 -
                                                inverse2 * 691.0 / 2730.0)))));
  return result + inverse + 0.5 * inverse2 + series;
}

bool EstimateNegativeBinomialTheta(const Eigen::Ref<const Eigen::VectorXd>& y,
                                   const Eigen::Ref<const Eigen::VectorXd>& mu,
                                   const Eigen::Ref<const Eigen::VectorXd>& w,
                                   double initial, double* theta,
                                   double* theta_se, std::string* error) {
  double t = initial;
  if (!(t > 0.0)) {
    double weight_sum = 0.0, squares = 0.0;
    for (Eigen::Index i = 0; i < y.size(); ++i) {
      const double weight = WeightAt(w, i);
      const double ratio = y[i] / mu[i] - 1.0;
      weight_sum += weight;
      squares += weight * ratio * ratio;
    }
    t = weight_sum / squares;
  }
  if (!(t > 0.0) || !std::isfinite(t)) {
    *error = fmt::format(
        "theta.ml: the moment estimate of theta is {} (the responses show no "
        "overdispersion)",
        t);
    return false;
  }
  double score = 0.0, information = 0.0;
  for (int iteration = 0; iteration < kMaxThetaIterations; ++iteration) {
    ThetaScoreAndInformation(y, mu, w, t, &score, &information);
    const double step = score / information;
    const double next = t + step;
    if (!(next > 0.0) || !std::isfinite(next)) {
      *error = fmt::format(
          "theta.ml: the Newton iterate of theta is {} (from {}); theta "
          "diverges (the responses look Poisson or underdispersed)",
          next, t);
      return false;
    }
    t = next;
    if (std::abs(step) <= kThetaStepTolerance * t) {
      ThetaScoreAndInformation(y, mu, w, t, &score, &information);
      *theta = t;
      *theta_se =
          information > 0.0 ? 1.0 / std::sqrt(information) : std::nan("");
      return true;
    }
  }
  *error = fmt::format(
      "theta.ml: theta did not converge in {} Newton steps (last {})",
      kMaxThetaIterations, t);
  return false;
}

std::string NegativeBinomialFit::Report(const std::string& call) const {
  std::string text = glm.Report(call);
  const std::string lines = fmt::format(
      "Theta: {:.10g}  Std. Err.: {:.10g}\n2 x log-likelihood: {:.10g}\n"
      "Alternations of beta and theta: {}\n\n",
      theta, theta_se, two_log_likelihood, outer_iterations);
  const size_t at = text.find("Optimizer: ");
  text.insert(at == std::string::npos ? text.size() : at, lines);
  return text;
}

bool FitNegativeBinomial(const std::string& formula, const DataFrame& data,
                         const GlmSpec& spec,
                         const ModelFrameOptions& frame_options,
                         NegativeBinomialFit* fit, std::string* error) {
  const GlmLink link = spec.link.has_value() ? *spec.link : GlmLink::kLog;
  if (link != GlmLink::kLog && link != GlmLink::kIdentity) {
    *error = "link \"" + ToString(link) +
             "\" is not available for the negative.binomial family; "
             "available links: log, identity";
    return false;
  }
  if (spec.theta.has_value() &&
      (!(*spec.theta > 0.0) || !std::isfinite(*spec.theta))) {
    *error = fmt::format("the starting theta = {} must be positive and finite",
                         *spec.theta);
    return false;
  }
  Formula parsed;
  if (!ParseFormula(formula, &parsed, error)) return false;
  ModelFrame frame;
  if (!BuildModelFrame(parsed, data, frame_options, &frame, error)) {
    return false;
  }
  const Dataset design = std::move(frame.data);
  frame.data = Dataset();
  const Eigen::VectorXd weights =
      design.HasWeights() ? design.weights : Eigen::VectorXd();

  // The Poisson start (glm.nb fits poisson(link) first).
  GlmSpec step_spec = spec;
  step_spec.distribution = GlmDistribution::kPoisson;
  step_spec.link = link;
  step_spec.quasi_likelihood = false;
  step_spec.theta.reset();
  GlmFit glm;
  if (!FitGlm(design, step_spec, &glm, error)) {
    *error = "the Poisson start: " + *error;
    return false;
  }
  Eigen::VectorXd mu = FittedMeans(design, glm);
  double theta = 0.0, theta_se = 0.0;
  if (!EstimateNegativeBinomialTheta(design.y, mu, weights,
                                     spec.theta.value_or(0.0), &theta,
                                     &theta_se, error)) {
    return false;
  }

  step_spec.distribution = GlmDistribution::kNegativeBinomial;
  double two_log_likelihood = std::nan("");
  int iteration = 0;
  bool settled = false;
  while (!settled && iteration < kMaxOuterIterations) {
    ++iteration;
    step_spec.theta = theta;
    if (!FitGlm(design, step_spec, &glm, error)) {
      *error = fmt::format("the fit at theta = {}: {}", theta, *error);
      return false;
    }
    mu = FittedMeans(design, glm);
    double next_theta = 0.0;
    if (!EstimateNegativeBinomialTheta(design.y, mu, weights, theta,
                                       &next_theta, &theta_se, error)) {
      return false;
    }
    std::string family_error;
    const auto family =
        CreateNegativeBinomialFamily(next_theta, link, &family_error);
    const double next_two_log_likelihood =
        TwoLogLikelihood(*family, design, mu);
    settled = std::abs(next_theta - theta) <= kOuterTolerance * next_theta &&
              std::abs(next_two_log_likelihood - two_log_likelihood) <=
                  kOuterTolerance * std::abs(next_two_log_likelihood);
    theta = next_theta;
    two_log_likelihood = next_two_log_likelihood;
  }
  if (!settled) {
    glm.converged = false;
    glm.warnings.push_back(fmt::format(
        "theta and beta did not settle in {} alternations (last theta = {})",
        kMaxOuterIterations, theta));
  }
  // The final fit at θ (the last alternation's fit used θ's previous value,
  // 1e-12 away when settled).
  step_spec.theta = theta;
  if (!FitGlm(design, step_spec, &glm, error)) {
    *error = fmt::format("the fit at theta = {}: {}", theta, *error);
    return false;
  }
  mu = FittedMeans(design, glm);
  {
    std::string family_error;
    const auto family =
        CreateNegativeBinomialFamily(theta, link, &family_error);
    two_log_likelihood = TwoLogLikelihood(*family, design, mu);
    double score = 0.0, information = 0.0;
    ThetaScoreAndInformation(design.y, mu, weights, theta, &score,
                             &information);
    theta_se = information > 0.0 ? 1.0 / std::sqrt(information) : std::nan("");
  }
  // θ is an estimated parameter (logLik.negbin's df = rank + 1).
  glm.log_likelihood = 0.5 * two_log_likelihood;
  glm.num_estimated = glm.rank + 1;
  glm.aic = -two_log_likelihood + 2.0 * glm.num_estimated;
  glm.bic =
      -two_log_likelihood +
      std::log(static_cast<double>(glm.num_observations)) * glm.num_estimated;
  glm.frame = std::move(frame);
  if (glm.frame.rows_dropped > 0) {
    glm.warnings.insert(glm.warnings.begin(),
                        fmt::format("dropped {} rows with missing values",
                                    glm.frame.rows_dropped));
  }
  fit->glm = std::move(glm);
  fit->theta = theta;
  fit->theta_se = theta_se;
  fit->two_log_likelihood = two_log_likelihood;
  fit->outer_iterations = iteration;
  return true;
}

}  // namespace fisheropt
