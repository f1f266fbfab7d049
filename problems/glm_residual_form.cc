#include "problems/glm_residual_form.h"

#include <cmath>

namespace fisheropt {
namespace {

constexpr double kHalfLogTwoPi = 0.91893853320467274178;

// f(u) = (1 + u) log(1 + u) − u ≥ 0 for u > −1: the Poisson deviance is
// 2wμ f(u) with u = (y − μ)/μ. Near u = 0 the two terms cancel, so the
// series Σ_{k≥2} (−u)^k / (k(k−1)) is summed instead.
double PoissonDevianceKernel(double u) {
  if (std::abs(u) < 1e-3) {
    const double u2 = u * u;
    return u2 *
           (1.0 / 2.0 - u / 6.0 + u2 / 12.0 - u2 * u / 20.0 + u2 * u2 / 30.0);
  }
  return (1.0 + u) * std::log1p(u) - u;
}

bool IsBernoulli(GlmFamilyType family) {
  return family == GlmFamilyType::kBernoulliLogit ||
         family == GlmFamilyType::kBernoulliProbit ||
         family == GlmFamilyType::kBernoulliCloglog;
}

}  // namespace

void GlmResidual(GlmFamilyType family, const GlmFamily& glm_family, double eta,
                 double y, double weight, double* residual,
                 double* derivative) {
  switch (family) {
    case GlmFamilyType::kGaussianIdentity: {
      const double root = std::sqrt(weight);
      *residual = root * (y - eta);
      *derivative = -root;
      return;
    }
    case GlmFamilyType::kPoissonLog: {
      const double mu = std::exp(eta);
      const double deviance =
          y == 0.0 ? 2.0 * weight * mu
                   : 2.0 * weight * mu * PoissonDevianceKernel((y - mu) / mu);
      const double magnitude = std::sqrt(std::max(0.0, deviance));
      *residual = y >= mu ? magnitude : -magnitude;
      // dr/dη = (∂d/∂η) / (2r) = w(μ − y)/r, → −√(wμ) where the fit is exact.
      *derivative = *residual != 0.0 ? weight * (mu - y) / *residual
                                     : -std::sqrt(weight * mu);
      return;
    }
    default: {  // Bernoulli: nll = −wℓ ≥ 0.
      Eigen::VectorXd log_likelihood, dl_deta;
      glm_family.Evaluate(Eigen::VectorXd::Constant(1, eta),
                          Eigen::VectorXd::Constant(1, y), &log_likelihood,
                          &dl_deta, nullptr);
      const double nll = std::max(0.0, -weight * log_likelihood[0]);
      *residual = std::sqrt(2.0 * nll);
      // dr/dη = −w (dℓ/dη) / r, → 0 as nll → 0 (both vanish like e^−|η|).
      *derivative = *residual > 0.0 ? -weight * dl_deta[0] / *residual : 0.0;
      return;
    }
  }
}

int GlmResidualForm::NumResiduals() const {
  return model_.NumSamples() +
         (model_.options().l2_penalty > 0.0 ? model_.NumParameters() : 0);
}

bool GlmResidualForm::Residuals(const Eigen::VectorXd& theta,
                                Eigen::VectorXd* residuals,
                                Eigen::MatrixXd* jacobian) const {
  const Dataset& data = model_.data();
  const int n = model_.NumSamples();
  const int p = model_.NumParameters();
  const Eigen::VectorXd eta = model_.LinearPredictor(theta);
  const GlmFamilyType family = *model_.family().type();
  residuals->resize(NumResiduals());
  Eigen::VectorXd derivative(n);
  for (int i = 0; i < n; ++i) {
    const double weight = data.HasWeights() ? data.weights[i] : 1.0;
    GlmResidual(family, model_.family(), eta[i], data.y[i], weight,
                &(*residuals)[i], &derivative[i]);
  }
  const bool penalized = model_.options().l2_penalty > 0.0;
  const Eigen::VectorXd penalty_root = model_.PenaltyDiagonal().cwiseSqrt();
  if (penalized) residuals->tail(p) = penalty_root.cwiseProduct(theta);
  if (jacobian != nullptr) {
    jacobian->resize(NumResiduals(), p);
    jacobian->topRows(n) = derivative.asDiagonal() * data.x;
    if (penalized) {
      jacobian->bottomRows(p) = penalty_root.asDiagonal();
    }
    if (!jacobian->allFinite()) return false;
  }
  return residuals->allFinite();
}

double GlmResidualForm::CostOffset() const {
  const Dataset& data = model_.data();
  const GlmFamilyType family = *model_.family().type();
  if (IsBernoulli(family)) return 0.0;
  double offset = 0.0;
  for (int i = 0; i < model_.NumSamples(); ++i) {
    const double weight = data.HasWeights() ? data.weights[i] : 1.0;
    const double y = data.y[i];
    // −ℓ_sat: ½ log 2π for the Gaussian (its deviance is the squared
    // residual); μ = y for the Poisson: y − y log y + log y!.
    offset += weight * (family == GlmFamilyType::kGaussianIdentity
                            ? kHalfLogTwoPi
                            : (y > 0.0 ? y - y * std::log(y) : 0.0) +
                                  std::lgamma(y + 1.0));
  }
  return offset;
}

}  // namespace fisheropt
