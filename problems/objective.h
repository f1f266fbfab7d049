#ifndef FISHEROPT_PROBLEMS_OBJECTIVE_H_
#define FISHEROPT_PROBLEMS_OBJECTIVE_H_

#include <Eigen/Core>

namespace fisheropt {

// A smooth objective L(θ) to minimize: all that a first-order method needs.
//
// Scale convention (the whole library): for a statistical model L is the
// SUMMED negative log-likelihood
//
//   L(θ) = −Σ_i log p(y_i | x_i, θ),
//
// not the mean. Every curvature is on the same scale (F = Σ_i E[s_i s_iᵀ]), so
// F⁻¹ at the MLE is directly the asymptotic covariance of θ̂. (Ceres'
// least-squares cost is ½Σr²; baselines convert when they compare.)
class Objective {
 public:
  virtual ~Objective() = default;

  virtual int NumParameters() const = 0;

  // Evaluates L(θ) and, when gradient is not null, ∇L(θ). Returns false when θ
  // is outside the domain or the value is not finite; the outputs are then
  // unspecified and the caller must not use them.
  virtual bool Evaluate(const Eigen::VectorXd& theta, double* value,
                        Eigen::VectorXd* gradient) const = 0;
};

}  // namespace fisheropt

#endif  // FISHEROPT_PROBLEMS_OBJECTIVE_H_
