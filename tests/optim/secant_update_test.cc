#include "optim/secant_update.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/SVD>
#include <random>

namespace fisheropt {
namespace {

// The BFGS update (optim/secant_update.h): after it C s = y, C stays
// symmetric positive definite and changes by rank 2 only; a pair that fails
// the curvature condition leaves C untouched.
TEST(SecantUpdateTest, SecantEquationRankTwoAndSkippedPairs) {
  std::mt19937 rng(5);
  std::normal_distribution<double> normal;
  const int p = 7;
  Eigen::MatrixXd a(p, p), b(p, p);
  for (int i = 0; i < p * p; ++i) {
    a.data()[i] = normal(rng);
    b.data()[i] = normal(rng);
  }
  const Eigen::MatrixXd c0 =
      a * a.transpose() + Eigen::MatrixXd::Identity(p, p);
  const Eigen::MatrixXd hessian = b * b.transpose() + 0.5 * c0;
  Eigen::VectorXd s(p);
  for (int i = 0; i < p; ++i) s[i] = normal(rng);
  const Eigen::VectorXd y = hessian * s;  // yᵀs > 0

  Eigen::MatrixXd c = c0;
  ASSERT_TRUE(BfgsUpdate(s, y, &c));
  EXPECT_LT((c * s - y).norm(), 1e-12 * y.norm());
  EXPECT_LT((c - c.transpose()).norm(), 1e-14 * c.norm());
  EXPECT_EQ(Eigen::LLT<Eigen::MatrixXd>(c).info(), Eigen::Success);
  // Rank 2: the change has two nonzero singular values.
  const Eigen::VectorXd singular =
      Eigen::JacobiSVD<Eigen::MatrixXd>(c - c0).singularValues();
  EXPECT_GT(singular[1], 1e-8 * singular[0]);
  EXPECT_LT(singular[2], 1e-12 * singular[0]);

  // yᵀs < 0 (a concave direction) and y ⟂ s: no update.
  c = c0;
  EXPECT_FALSE(BfgsUpdate(s, -y, &c));
  Eigen::VectorXd orthogonal = y - y.dot(s) / s.squaredNorm() * s;
  EXPECT_FALSE(BfgsUpdate(s, orthogonal, &c));
  EXPECT_EQ(c, c0);
}

}  // namespace
}  // namespace fisheropt
