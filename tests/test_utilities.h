#ifndef FISHEROPT_TESTS_TEST_UTILITIES_H_
#define FISHEROPT_TESTS_TEST_UTILITIES_H_

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <functional>

namespace fisheropt {
namespace testing {

// Central finite difference of a scalar function: error O(h²); with
// h = 1e-5 relative to |θ_j| + 1, the derivative is good to about 1e-9.
inline Eigen::VectorXd CentralDifferenceGradient(
    const std::function<double(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, double relative_step = 1e-5) {
  Eigen::VectorXd gradient(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    const double h = relative_step * (std::abs(theta[j]) + 1.0);
    Eigen::VectorXd plus = theta, minus = theta;
    plus[j] += h;
    minus[j] -= h;
    gradient[j] = (f(plus) - f(minus)) / (2.0 * h);
  }
  return gradient;
}

// Central finite difference of a vector function: column j is ∂f/∂θ_j.
inline Eigen::MatrixXd CentralDifferenceJacobian(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, double relative_step = 1e-5) {
  const Eigen::VectorXd f0 = f(theta);
  Eigen::MatrixXd jacobian(f0.size(), theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    const double h = relative_step * (std::abs(theta[j]) + 1.0);
    Eigen::VectorXd plus = theta, minus = theta;
    plus[j] += h;
    minus[j] -= h;
    jacobian.col(j) = (f(plus) - f(minus)) / (2.0 * h);
  }
  return jacobian;
}

// ‖a − b‖_F / max(‖b‖_F, floor).
inline double RelativeError(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                            double floor = 1e-300) {
  return (a - b).norm() / std::max(b.norm(), floor);
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_TEST_UTILITIES_H_
