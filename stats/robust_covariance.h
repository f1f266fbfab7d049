#ifndef FISHEROPT_STATS_ROBUST_COVARIANCE_H_
#define FISHEROPT_STATS_ROBUST_COVARIANCE_H_

#include <Eigen/Core>
#include <string>
#include <vector>

#include "problems/glm_model.h"

namespace fisheropt {

// Heteroskedasticity-consistent ("sandwich") covariances of a GLM's
// coefficients, defined as R's sandwich package defines them for a glm
// (vcovHC, vcovCL):
//
//   V = C M C,   C = (Xᵀ W X)⁻¹,   M = Σ_i ω_i u_i² x_i x_iᵀ,
//
// with W_i = w_i E[−d²ℓ_i/dη²] the working weights (prior weight w_i times
// the family's expected weight: R's weights(fit, "working")) and
// u_i = w_i dℓ_i/dη the score in η (R's working residual times working
// weight). The dispersion cancels — R's bread carries φ and its estfun 1/φ —
// so V needs none. The types differ in ω_i, with n the number of rows,
// k the number of coefficients and h_i = W_i x_iᵀ C x_i the hat values:
//
//   HC0  1                 (White's estimator)
//   HC1  n / (n − k)
//   HC2  1 / (1 − h_i)
//   HC3  1 / (1 − h_i)²    (close to the jackknife)
//
// Cluster-robust (vcovCL with its default cadjust): with G clusters,
//
//   M = G/(G − 1) Σ_g s_g s_gᵀ,   s_g = Σ_{i ∈ g} u_i x_i,
//
// times (n − 1)/(n − k) for HC1; HC2 and HC3 are not offered with clusters.
// These are the covariances of misspecification-robust Wald inference: they
// stay consistent when the variance function is wrong (HC) or rows within a
// cluster are correlated (cluster-robust).
enum class RobustCovariance { kNone, kHC0, kHC1, kHC2, kHC3 };

// "none", "HC0", "HC1", "HC2", "HC3".
std::string ToString(RobustCovariance type);
// Accepts the names above; false when unknown.
bool FromString(const std::string& name, RobustCovariance* type);

// V for `model` (its design is X: any basis of the column space, e.g. the
// orthonormal one FitGlm fits in) at its estimate `theta`, as above.
// `clusters` is empty (no clustering) or holds one cluster id per row. Fails
// with a message for kNone, a cluster type other than HC0/HC1, fewer than
// two clusters, a curvature that is not positive definite, or a row with
// hat value 1 under HC2/HC3 (where the estimator divides by zero).
bool ComputeRobustCovariance(const GlmModel& model,
                             const Eigen::VectorXd& theta,
                             RobustCovariance type,
                             const std::vector<int>& clusters,
                             Eigen::MatrixXd* covariance, std::string* error);

}  // namespace fisheropt

#endif  // FISHEROPT_STATS_ROBUST_COVARIANCE_H_
