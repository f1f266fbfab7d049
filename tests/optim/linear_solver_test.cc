#include "optim/linear_solver.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <limits>
#include <random>

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

TEST(ConjugateGradientTest, EqualsCholeskyOnAWellConditionedSystem) {
  // A = QᵀDQ + I with eigenvalues in [1, 10]: CG with a residual tolerance
  // at rounding reaches the Cholesky solution to 1e-10 within p iterations.
  const int p = 30;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd b(p, p);
  for (int i = 0; i < p; ++i) {
    for (int j = 0; j < p; ++j) b(i, j) = normal(rng);
  }
  const Eigen::MatrixXd a =
      b.transpose() * b / p + Eigen::MatrixXd::Identity(p, p);
  Eigen::VectorXd rhs(p);
  for (int i = 0; i < p; ++i) rhs[i] = normal(rng);
  const Eigen::VectorXd cholesky = a.llt().solve(rhs);
  ConjugateGradientResult cg;
  ASSERT_TRUE(
      SolveConjugateGradient(CurvatureOperator(a), rhs, 1e-14, 4 * p, &cg));
  EXPECT_TRUE(cg.converged);
  EXPECT_FALSE(cg.negative_curvature);
  EXPECT_LE(cg.num_iterations, p);
  EXPECT_LT((cg.solution - cholesky).norm() / cholesky.norm(), 1e-10);
}

TEST(ConjugateGradientTest, DiagonalSystemIsSolvedByThePreconditionerAlone) {
  // M = diag(C) = C: one CG iteration is exact.
  const Eigen::MatrixXd c = Eigen::Vector3d(1.0, 100.0, 1e4).asDiagonal();
  const Eigen::Vector3d rhs(1.0, 2.0, 3.0);
  ConjugateGradientResult cg;
  ASSERT_TRUE(
      SolveConjugateGradient(CurvatureOperator(c), rhs, 1e-15, 10, &cg));
  EXPECT_EQ(cg.num_iterations, 1);
  EXPECT_LT((c * cg.solution - rhs).norm(), 1e-14);
}

TEST(ConjugateGradientTest, NegativeCurvatureStillGivesADescentDirection) {
  // C = diag(−1, 2), g = (1, 1): the first CG direction −M⁻¹g has
  // pᵀCp = −1 + 2·¼ < 0, so truncated Newton returns −M⁻¹g, a descent
  // direction.
  const Eigen::MatrixXd c = Eigen::Vector2d(-1.0, 2.0).asDiagonal();
  const Eigen::Vector2d g(1.0, 1.0);
  LinearSolverOptions options;
  options.type = LinearSolverType::kConjugateGradient;
  Eigen::VectorXd theta = Eigen::Vector2d::Zero();
  // A matrix-free operator over a fixed dense curvature.
  class Fixed final : public Curvature {
   public:
    explicit Fixed(const Eigen::MatrixXd& c) : c_(c) {}
    CurvatureType type() const override { return CurvatureType::kHessian; }

   private:
    bool DoCompute(const Eigen::VectorXd&, Eigen::MatrixXd* out) override {
      *out = c_;
      return true;
    }
    Eigen::MatrixXd c_;
  } fixed(c);
  const CurvatureOperator op(&fixed, theta);
  NewtonDirection newton;
  ASSERT_TRUE(ComputeNewtonDirection(op, g, options, &newton));
  EXPECT_LT(g.dot(newton.direction), 0.0);
  EXPECT_EQ(newton.direction, Eigen::Vector2d(-1.0, -0.5));
  EXPECT_GE(op.num_products(), 1);
}

TEST(ConjugateGradientTest, AutomaticChoosesByParameterCount) {
  LinearSolverOptions options;
  options.type = LinearSolverType::kAutomatic;
  options.automatic_cg_threshold = 100;
  EXPECT_FALSE(UsesConjugateGradient(options, 100));
  EXPECT_TRUE(UsesConjugateGradient(options, 101));
  options.type = LinearSolverType::kCholesky;
  EXPECT_FALSE(UsesConjugateGradient(options, 1000000));
  options.type = LinearSolverType::kConjugateGradient;
  EXPECT_TRUE(UsesConjugateGradient(options, 1));
}

}  // namespace
}  // namespace fisheropt

namespace fisheropt {
namespace {

TEST(LinearSolverTest, BadlyScaledButWellConditionedNeedsNoShift) {
  // Parameters in units 1e6 apart (as on the NIST problems): the matrix is
  // only badly scaled; after equilibration it is the identity plus a small
  // coupling, so no shift is needed and the solve is exact.
  Eigen::Matrix2d c;
  c << 1e-12, 0.5e-6 * 1e-3, 0.5e-6 * 1e-3, 1.0;
  c(0, 1) = c(1, 0) = 0.5 * std::sqrt(1e-12 * 1.0);
  const Eigen::Vector2d g(1e-6, 1.0);
  NewtonDirection newton;
  ASSERT_TRUE(ComputeNewtonDirection(c, g, LinearSolverOptions(), &newton));
  EXPECT_EQ(newton.shift, 0.0);
  EXPECT_EQ(newton.num_factorizations, 1);
  EXPECT_LT((c * newton.direction + g).norm(), 1e-12 * g.norm());
}

// The QR form solves the same shifted system as the Cholesky: with B random
// (20 × 4), C = BᵀB and g = Bᵀb, for no shift, a shift on I and a shift on
// a diagonal scaling.
TEST(LeastSquaresSolveTest, EqualsCholeskyOnAWellConditionedSystem) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal;
  Eigen::MatrixXd b_factor(20, 4);
  Eigen::VectorXd b(20);
  for (int i = 0; i < 20; ++i) {
    b[i] = normal(rng);
    for (int j = 0; j < 4; ++j) b_factor(i, j) = normal(rng);
  }
  const Eigen::MatrixXd c = b_factor.transpose() * b_factor;
  const Eigen::VectorXd g = b_factor.transpose() * b;
  const Eigen::Vector4d scaling(1.0, 4.0, 0.25, 9.0);
  struct Case {
    Eigen::VectorXd scaling;
    double shift;
  };
  for (const Case& test_case :
       {Case{Eigen::VectorXd(), 0.0}, Case{Eigen::VectorXd(), 0.7},
        Case{scaling, 0.3}}) {
    Eigen::VectorXd cholesky, qr;
    ASSERT_TRUE(SolveShiftedCholesky(c, test_case.scaling, test_case.shift, -g,
                                     1e-14, &cholesky));
    ASSERT_TRUE(SolveShiftedLeastSquares(b_factor, b, test_case.scaling,
                                         test_case.shift, 1e-14, &qr));
    EXPECT_LT((qr - cholesky).norm(), 1e-12 * cholesky.norm())
        << "shift " << test_case.shift;
    Eigen::MatrixXd shifted = c;
    shifted.diagonal() += test_case.shift * (test_case.scaling.size() == 0
                                                 ? Eigen::VectorXd::Ones(4)
                                                 : test_case.scaling);
    EXPECT_LT((shifted * qr + g).norm(), 1e-12 * g.norm());
  }
}

// cond(B) = 1e10 with a zero residual at β* = (1, 1, 1): the Gauss–Newton
// step from 0 must land on β*. The QR of B loses about cond(B)·ε ≈ 1e-6 of
// it; the normal equations (cond 1e20) are beyond double precision — their
// Cholesky reports the matrix as singular.
TEST(LeastSquaresSolveTest, IllConditionedFactorIsSolvedToCondTimesEpsilon) {
  // Columns 1, x, x + 1e-10 x²: the last two differ by 1e-10 of x².
  const int m = 30;
  Eigen::MatrixXd b_factor(m, 3);
  for (int i = 0; i < m; ++i) {
    const double x = static_cast<double>(i) / (m - 1);
    b_factor.row(i) << 1.0, x, x + 1e-10 * x * x;
  }
  const Eigen::Vector3d beta_star(1.0, 1.0, 1.0);
  // Residuals b(θ) = Bθ − y at θ = 0, with y = Bβ*: the step solves Bd = y.
  const Eigen::VectorXd b = -(b_factor * beta_star);
  Eigen::VectorXd step;
  ASSERT_TRUE(SolveShiftedLeastSquares(b_factor, b, Eigen::VectorXd(), 0.0,
                                       1e-14, &step));
  EXPECT_LT((step - beta_star).cwiseAbs().maxCoeff(), 1e-4) << step;
  const Eigen::MatrixXd c = b_factor.transpose() * b_factor;
  Eigen::VectorXd cholesky;
  EXPECT_FALSE(SolveShiftedCholesky(
      c, Eigen::VectorXd(), 0.0, -b_factor.transpose() * b, 1e-14, &cholesky));
}

TEST(LeastSquaresSolveTest, RankDeficientFactorFailsWithoutShift) {
  Eigen::MatrixXd b_factor(5, 2);
  b_factor << 1, 2, 2, 4, 3, 6, 4, 8, 5, 10;  // column 2 = 2 × column 1
  const Eigen::VectorXd b = Eigen::VectorXd::LinSpaced(5, 1.0, 2.0);
  Eigen::VectorXd step;
  EXPECT_FALSE(SolveShiftedLeastSquares(b_factor, b, Eigen::VectorXd(), 0.0,
                                        1e-14, &step));
  // A shift makes it a ridge problem with a unique solution.
  ASSERT_TRUE(SolveShiftedLeastSquares(b_factor, b, Eigen::VectorXd(), 1e-3,
                                       1e-14, &step));
  const Eigen::MatrixXd shifted =
      b_factor.transpose() * b_factor + 1e-3 * Eigen::MatrixXd::Identity(2, 2);
  EXPECT_LT((shifted * step + b_factor.transpose() * b).norm(), 1e-10);
}

// B with fewer rows than columns (3 × 4): BᵀB has rank 3, so the
// undamped solve fails — without reading R's missing fourth row, which a
// 3-row Householder QR does not have (valgrind showed an invalid 8-byte read
// of the fourth pivot there). A shift stacks 4 more rows and gives the
// unique ridge solution.
TEST(LeastSquaresSolveTest, FewerRowsThanColumnsFailWithoutShift) {
  Eigen::MatrixXd b_factor(3, 4);
  b_factor << 1, 2, 0, 1, 0, 1, 3, 1, 2, 0, 1, 4;
  const Eigen::Vector3d b(0.5, -1.0, 2.0);
  Eigen::VectorXd step;
  EXPECT_FALSE(SolveShiftedLeastSquares(b_factor, b, Eigen::VectorXd(), 0.0,
                                        1e-14, &step));
  const Eigen::Vector4d scaling(1.0, 2.0, 0.5, 3.0);
  ASSERT_TRUE(
      SolveShiftedLeastSquares(b_factor, b, scaling, 0.1, 1e-14, &step));
  Eigen::MatrixXd shifted = b_factor.transpose() * b_factor;
  shifted.diagonal() += 0.1 * scaling;
  EXPECT_LT((shifted * step + b_factor.transpose() * b).norm(), 1e-12);
  // The Newton direction of such a factor is found by the shift sequence.
  const Eigen::MatrixXd c = b_factor.transpose() * b_factor;
  const Eigen::VectorXd g = b_factor.transpose() * b;
  const CurvatureOperator op(c);
  CurvatureOperator with_factor = op;
  const Eigen::VectorXd residuals = b;
  with_factor.SetLeastSquaresFactor(&b_factor, &residuals);
  LinearSolverOptions options;
  NewtonDirection direction;
  ASSERT_TRUE(ComputeNewtonDirection(with_factor, g, options, &direction));
  EXPECT_GT(direction.shift, 0.0);
  EXPECT_GE(direction.num_factorizations, 2);
  EXPECT_LT(g.dot(direction.direction), 0.0);
}

// Steihaug-CG: with a region that does not bind it is CG (the Newton step
// to the forcing tolerance); with a small one the step ends on the boundary
// ‖D^½ s‖ = Δ and still decreases the model.
TEST(SteihaugTest, InteriorSolutionIsTheNewtonStepBoundaryStepDecreases) {
  Eigen::Matrix3d c;
  c << 4, 1, 0, 1, 3, 1, 0, 1, 2;
  const Eigen::Vector3d g(1, -2, 0.5);
  const Eigen::Vector3d d(4.0, 3.0, 2.0);  // Marquardt: diag C
  const Eigen::MatrixXd dense = c;
  const CurvatureOperator op(dense);
  SteihaugResult result;
  ASSERT_TRUE(
      SolveSteihaugConjugateGradient(op, g, d, 1e6, 1e-14, 10, &result));
  EXPECT_TRUE(result.converged);
  EXPECT_FALSE(result.on_boundary);
  EXPECT_LT((c * result.step + g).norm(), 1e-12);
  EXPECT_LE(result.num_iterations, 3);  // CG in exact arithmetic: ≤ p

  const double radius = 0.1;
  ASSERT_TRUE(
      SolveSteihaugConjugateGradient(op, g, d, radius, 1e-14, 10, &result));
  EXPECT_TRUE(result.on_boundary);
  EXPECT_NEAR(d.cwiseSqrt().cwiseProduct(result.step).norm(), radius, 1e-14);
  EXPECT_NEAR(result.scaled_norm, radius, 1e-14);
  const double model =
      g.dot(result.step) + 0.5 * result.step.dot(c * result.step);
  EXPECT_LT(model, 0.0);
}

// Indefinite C (eigenvalues 3 and −1): the negative-curvature direction is
// followed to the boundary, with a model decrease.
TEST(SteihaugTest, NegativeCurvatureGoesToTheBoundary) {
  Eigen::MatrixXd c(2, 2);
  c << 1, 2, 2, 1;
  const CurvatureOperator op(c);
  const Eigen::Vector2d g(1.0, -1.0);  // along the eigenvector of −1
  SteihaugResult result;
  ASSERT_TRUE(SolveSteihaugConjugateGradient(op, g, Eigen::Vector2d::Ones(),
                                             2.0, 1e-12, 10, &result));
  EXPECT_TRUE(result.negative_curvature);
  EXPECT_TRUE(result.on_boundary);
  EXPECT_NEAR(result.step.norm(), 2.0, 1e-14);
  EXPECT_LT(g.dot(result.step) + 0.5 * result.step.dot(c * result.step), 0.0);
  // A non-positive scaling is refused.
  EXPECT_FALSE(SolveSteihaugConjugateGradient(op, g, Eigen::Vector2d(1.0, 0.0),
                                              2.0, 1e-12, 10, &result));
}

}  // namespace
}  // namespace fisheropt
