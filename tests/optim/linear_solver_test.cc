#include "optim/linear_solver.h"

#include <limits>

#include <gtest/gtest.h>

namespace fisheropt {
namespace {

TEST(LinearSolverTest, PositiveDefiniteSolvesExactlyWithoutShift) {
  Eigen::Matrix3d c;
  c << 4, 1, 0, 1, 3, 1, 0, 1, 2;
  const Eigen::Vector3d g(1, -2, 0.5);
  NewtonDirection newton;
  ASSERT_TRUE(ComputeNewtonDirection(c, g, LinearSolverOptions(), &newton));
  EXPECT_EQ(newton.shift, 0.0);
  EXPECT_EQ(newton.num_factorizations, 1);
  EXPECT_LT((c * newton.direction + g).norm(), 1e-14);
}

TEST(LinearSolverTest, IndefiniteMatrixIsShiftedIntoADescentDirection) {
  // Eigenvalues 3 and −1: the Newton step of a saddle.
  Eigen::Matrix2d c;
  c << 1, 2, 2, 1;
  const Eigen::Vector2d g(1.0, 0.5);
  NewtonDirection newton;
  ASSERT_TRUE(ComputeNewtonDirection(c, g, LinearSolverOptions(), &newton));
  EXPECT_GT(newton.shift, 1.0);  // must exceed −λ_min = 1
  EXPECT_LT(g.dot(newton.direction), 0.0);
  const Eigen::Matrix2d shifted =
      c + newton.shift * Eigen::Matrix2d::Identity();
  EXPECT_LT((shifted * newton.direction + g).norm(), 1e-12);
}

TEST(LinearSolverTest, SingularPsdMatrixGetsASmallShift) {
  // Rank one: an aliased direction. A tiny shift makes it solvable.
  Eigen::Matrix2d c;
  c << 1, 1, 1, 1;
  const Eigen::Vector2d g(1.0, -1.0);
  NewtonDirection newton;
  ASSERT_TRUE(ComputeNewtonDirection(c, g, LinearSolverOptions(), &newton));
  EXPECT_GT(newton.shift, 0.0);
  EXPECT_LT(newton.shift, 1e-3);
  EXPECT_LT(g.dot(newton.direction), 0.0);
}

TEST(LinearSolverTest, NonFiniteCurvatureFails) {
  Eigen::Matrix2d c = Eigen::Matrix2d::Identity();
  c(0, 1) = c(1, 0) = std::numeric_limits<double>::quiet_NaN();
  NewtonDirection newton;
  EXPECT_FALSE(ComputeNewtonDirection(c, Eigen::Vector2d(1, 1),
                                      LinearSolverOptions(), &newton));
  EXPECT_EQ(newton.num_factorizations,
            LinearSolverOptions().max_shift_retries + 2);
}

TEST(LinearSolverTest, ShiftedCholeskyUsesTheScaling) {
  const Eigen::Matrix2d c = Eigen::Vector2d(1.0, 4.0).asDiagonal();
  const Eigen::Vector2d scaling(2.0, 0.5);
  Eigen::VectorXd x;
  ASSERT_TRUE(SolveShiftedCholesky(c, scaling, 1.0, Eigen::Vector2d(3.0, 4.5),
                                   1e-14, &x));
  EXPECT_NEAR(x[0], 1.0, 1e-15);  // (1 + 2) x = 3
  EXPECT_NEAR(x[1], 1.0, 1e-15);  // (4 + 0.5) x = 4.5
}

}  // namespace
}  // namespace fisheropt
