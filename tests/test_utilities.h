#ifndef FISHEROPT_TESTS_TEST_UTILITIES_H_
#define FISHEROPT_TESTS_TEST_UTILITIES_H_

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <functional>

namespace fisheropt {
namespace testing {

// The steps h_j = relative_step · (|θ_j| + 1) of the overloads below that
// take a relative step.
inline Eigen::VectorXd RelativeSteps(const Eigen::VectorXd& theta,
                                     double relative_step) {
  return relative_step * (theta.array().abs() + 1.0).matrix();
}

// Central finite difference of a scalar function with step h_j for θ_j:
// error O(h²) from truncation plus O(ε_machine |f| / h) from rounding.
inline Eigen::VectorXd CentralDifferenceGradient(
    const std::function<double(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, const Eigen::VectorXd& steps) {
  Eigen::VectorXd gradient(theta.size());
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus[j] += steps[j];
    minus[j] -= steps[j];
    gradient[j] = (f(plus) - f(minus)) / (2.0 * steps[j]);
  }
  return gradient;
}

// The same with h_j relative to |θ_j| + 1: with relative_step = 1e-5 the
// derivative is good to about 1e-9.
inline Eigen::VectorXd CentralDifferenceGradient(
    const std::function<double(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, double relative_step = 1e-5) {
  return CentralDifferenceGradient(f, theta,
                                   RelativeSteps(theta, relative_step));
}

// Central finite difference of a vector function with step h_j for θ_j:
// column j is ∂f/∂θ_j.
inline Eigen::MatrixXd CentralDifferenceJacobian(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, const Eigen::VectorXd& steps) {
  Eigen::MatrixXd jacobian;
  for (Eigen::Index j = 0; j < theta.size(); ++j) {
    Eigen::VectorXd plus = theta, minus = theta;
    plus[j] += steps[j];
    minus[j] -= steps[j];
    const Eigen::VectorXd column = (f(plus) - f(minus)) / (2.0 * steps[j]);
    if (j == 0) jacobian.resize(column.size(), theta.size());
    jacobian.col(j) = column;
  }
  return jacobian;
}

// The same with h_j relative to |θ_j| + 1.
inline Eigen::MatrixXd CentralDifferenceJacobian(
    const std::function<Eigen::VectorXd(const Eigen::VectorXd&)>& f,
    const Eigen::VectorXd& theta, double relative_step = 1e-5) {
  return CentralDifferenceJacobian(f, theta,
                                   RelativeSteps(theta, relative_step));
}

// ‖a − b‖_F / max(‖b‖_F, floor).
inline double RelativeError(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b,
                            double floor = 1e-300) {
  return (a - b).norm() / std::max(b.norm(), floor);
}

}  // namespace testing
}  // namespace fisheropt

#endif  // FISHEROPT_TESTS_TEST_UTILITIES_H_
