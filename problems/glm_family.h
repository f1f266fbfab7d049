#ifndef FISHEROPT_PROBLEMS_GLM_FAMILY_H_
#define FISHEROPT_PROBLEMS_GLM_FAMILY_H_

#include <memory>
#include <string>

#include <Eigen/Core>

#include "problems/likelihood_model.h"

namespace fisheropt {

// A GLM's response distribution and link, seen through per-sample scalars on
// the linear predictor η = xᵀβ. Everything a GLM needs is one of these:
//
//   ℓ(η; y)                      the log-likelihood of one sample,
//   dℓ/dη                        (the score is s = (dℓ/dη) x),
//   observed weight  −d²ℓ/dη²    (Hessian of L  = Xᵀ diag(observed) X),
//   expected weight  E[−d²ℓ/dη²] = E[(dℓ/dη)²]
//                                (expected Fisher = Xᵀ diag(expected) X).
//
// For a canonical link the observed and expected weights coincide, so the
// Hessian equals the expected Fisher; for other links they differ away from
// the data. All functions work on a block of samples at once.
enum class GlmFamilyType {
  kBernoulliLogit,  // y ∈ {0, 1}, P(y = 1) = 1 / (1 + exp(−η)); canonical.
};

std::string ToString(GlmFamilyType type);
// Accepts "logistic" (also "bernoulli-logit"). Returns false when unknown.
bool FromString(const std::string& name, GlmFamilyType* type);

class GlmFamily {
 public:
  virtual ~GlmFamily() = default;

  virtual GlmFamilyType type() const = 0;

  // True when y lies in the support of the response distribution.
  virtual bool IsValidResponse(double y) const = 0;

  // Per-sample ℓ, dℓ/dη and −d²ℓ/dη² for a block; any output may be null.
  // Outputs are resized to eta.size().
  virtual void Evaluate(const Eigen::Ref<const Eigen::VectorXd>& eta,
                        const Eigen::Ref<const Eigen::VectorXd>& y,
                        Eigen::VectorXd* log_likelihood,
                        Eigen::VectorXd* dl_deta,
                        Eigen::VectorXd* observed_weight) const = 0;

  // E_y[−d²ℓ/dη²] under the model at η (does not depend on observed y).
  virtual void ExpectedWeights(const Eigen::Ref<const Eigen::VectorXd>& eta,
                               Eigen::VectorXd* weights) const = 0;

  // Draws y_i ~ p(· | η_i).
  virtual void Sample(const Eigen::Ref<const Eigen::VectorXd>& eta,
                      RandomEngine* rng, Eigen::VectorXd* y) const = 0;
};

std::unique_ptr<GlmFamily> CreateGlmFamily(GlmFamilyType type);

// Numerically stable scalar helpers (exact for |η| up to the double range).
// log(1 + exp(x)) without overflow or cancellation.
double Softplus(double x);
// 1 / (1 + exp(−x)) without overflow.
double Sigmoid(double x);

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_GLM_FAMILY_H_
