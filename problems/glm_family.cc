#include "problems/glm_family.h"

#include <cmath>

namespace fisheropt {

double Softplus(double x) {
  // log(1 + e^x) = max(x, 0) + log1p(e^−|x|).
  return std::max(x, 0.0) + std::log1p(std::exp(-std::abs(x)));
}

double Sigmoid(double x) {
  if (x >= 0.0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

std::string ToString(GlmFamilyType type) {
  switch (type) {
    case GlmFamilyType::kBernoulliLogit:
      return "logistic";
  }
  return "unknown";
}

bool FromString(const std::string& name, GlmFamilyType* type) {
  if (name == "logistic" || name == "bernoulli-logit") {
    *type = GlmFamilyType::kBernoulliLogit;
    return true;
  }
  return false;
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
    if (log_likelihood != nullptr) log_likelihood->resize(n);
    if (dl_deta != nullptr) dl_deta->resize(n);
    if (observed_weight != nullptr) observed_weight->resize(n);
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
};

}  // namespace

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmFamilyType type) {
  switch (type) {
    case GlmFamilyType::kBernoulliLogit:
      return std::make_unique<BernoulliLogitFamily>();
  }
  return nullptr;
}

}  // namespace fisheropt
