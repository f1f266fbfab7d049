#include "optim/limited_memory_bfgs.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <random>

#include "tests/test_utilities.h"

namespace fisheropt {
namespace {

using testing::RelativeError;

// L-BFGS on a curvature C (optim/limited_memory_bfgs.h): without pairs the
// direction is −C⁻¹g; after a pair the inverse secant equation H y = s holds
// for the newest pair; a pair consistent with 2C (y = 2Cs) gives γ = ½ and
// H = (2C)⁻¹ exactly on every vector; pairs failing the curvature condition
// are skipped, the oldest dropped beyond the memory; a C that is not
// positive definite is refused.
TEST(LimitedMemoryBfgsTest, TwoLoopIdentitiesScaleAndRefusals) {
  std::mt19937 rng(11);
  std::normal_distribution<double> normal;
  const int p = 7;
  const auto random_vector = [&] {
    Eigen::VectorXd v(p);
    for (int i = 0; i < p; ++i) v[i] = normal(rng);
    return v;
  };
  Eigen::MatrixXd a(p, p), b(p, p);
  for (int i = 0; i < p * p; ++i) {
    a.data()[i] = normal(rng);
    b.data()[i] = normal(rng);
  }
  const Eigen::MatrixXd c = a * a.transpose() + Eigen::MatrixXd::Identity(p, p);
  const Eigen::MatrixXd hessian = b * b.transpose() + 0.5 * c;
  const Eigen::VectorXd g = random_vector();

  LimitedMemoryBfgs lbfgs(3);
  ASSERT_TRUE(lbfgs.SetInitialCurvature(c));
  EXPECT_LT(RelativeError(lbfgs.Direction(g), -c.llt().solve(g)), 1e-12);
  // A diagonal C is used as a vector.
  const Eigen::MatrixXd diagonal = c.diagonal().asDiagonal();
  LimitedMemoryBfgs scaled(3);
  ASSERT_TRUE(scaled.SetInitialCurvature(diagonal));
  EXPECT_LT(RelativeError(scaled.Direction(g), -g.cwiseQuotient(c.diagonal())),
            1e-15);

  // Inverse secant equation for the newest pair, whatever came before.
  for (int k = 0; k < 5; ++k) {
    const Eigen::VectorXd s = random_vector();
    const Eigen::VectorXd y = hessian * s;
    ASSERT_TRUE(lbfgs.AddPair(s, y));
    EXPECT_LT(RelativeError(lbfgs.Direction(y), -s), 1e-10) << k;
  }
  EXPECT_EQ(lbfgs.num_pairs(), 3);  // the memory

  // y = 2Cs: γ = sᵀy / yᵀC⁻¹y = ½, and the update keeps H₀ = (2C)⁻¹.
  LimitedMemoryBfgs consistent(3);
  ASSERT_TRUE(consistent.SetInitialCurvature(c));
  const Eigen::VectorXd s = random_vector();
  ASSERT_TRUE(consistent.AddPair(s, 2.0 * c * s));
  EXPECT_LT(RelativeError(consistent.Direction(g), -(2.0 * c).llt().solve(g)),
            1e-12);

  // yᵀs < 0 and y ⟂ s: skipped.
  const Eigen::VectorXd y = hessian * s;
  EXPECT_FALSE(consistent.AddPair(s, -y));
  EXPECT_FALSE(consistent.AddPair(s, y - y.dot(s) / s.squaredNorm() * s));
  EXPECT_EQ(consistent.num_pairs(), 1);

  // Indefinite, singular, non-finite: refused.
  LimitedMemoryBfgs refused(3);
  EXPECT_FALSE(refused.SetInitialCurvature(-c));
  EXPECT_FALSE(refused.HasInitialCurvature());
  Eigen::MatrixXd singular = c;
  singular.row(0).setZero();
  singular.col(0).setZero();
  EXPECT_FALSE(refused.SetInitialCurvature(singular));
  Eigen::MatrixXd not_finite = c;
  not_finite(1, 2) = std::nan("");
  EXPECT_FALSE(refused.SetInitialCurvature(not_finite));
  EXPECT_FALSE(refused.SetInitialCurvature(
      Eigen::MatrixXd(singular.diagonal().asDiagonal())));
  EXPECT_TRUE(refused.SetInitialCurvature(c));
  EXPECT_TRUE(refused.HasInitialCurvature());
}

}  // namespace
}  // namespace fisheropt
