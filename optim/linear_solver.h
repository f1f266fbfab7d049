#ifndef FISHEROPT_OPTIM_LINEAR_SOLVER_H_
#define FISHEROPT_OPTIM_LINEAR_SOLVER_H_

#include <Eigen/Core>

#include "fisher/curvature.h"
#include "optim/limited_memory_bfgs.h"
#include "optim/solver_options.h"

namespace fisheropt {

// The curvature C at the current point as a step control sees it: either the
// dense matrix the solver computed, or matrix-free products C v through
// Curvature::Apply (truncated Newton). Neither the matrix nor the curvature
// and θ are owned; they outlive the operator (one iteration of the solver).
class CurvatureOperator {
 public:
  explicit CurvatureOperator(const Eigen::MatrixXd& matrix)
      : matrix_(&matrix), size_(static_cast<int>(matrix.rows())) {}
  CurvatureOperator(Curvature* curvature, const Eigen::VectorXd& theta)
      : curvature_(curvature),
        theta_(&theta),
        size_(static_cast<int>(theta.size())) {}

  bool is_dense() const { return matrix_ != nullptr; }
  // The dense C; only when is_dense().
  const Eigen::MatrixXd& matrix() const { return *matrix_; }

  // A dense C = Bᵀ B of a least-squares model, with ∇L = Bᵀ b
  // (Curvature::LeastSquaresFactor): the dense solvers then use a QR of B.
  // Neither is owned.
  void SetLeastSquaresFactor(const Eigen::MatrixXd* factor,
                             const Eigen::VectorXd* residuals) {
    factor_ = factor;
    residuals_ = residuals;
  }
  bool has_least_squares_factor() const {
    return is_dense() && factor_ != nullptr;
  }
  const Eigen::MatrixXd& factor() const { return *factor_; }
  const Eigen::VectorXd& residuals() const { return *residuals_; }
  int size() const { return size_; }

  // L-BFGS on top of this C (SecantCorrection::kLimitedMemoryBfgs): the
  // Newton-like direction is then −H g of `quasi_newton` (not owned), whose
  // H₀ is γ C⁻¹; products and quadratic forms stay those of C.
  void SetQuasiNewton(const LimitedMemoryBfgs* quasi_newton) {
    quasi_newton_ = quasi_newton;
  }
  const LimitedMemoryBfgs* quasi_newton() const { return quasi_newton_; }

  // out = C v. False when the matrix-free product failed (non-finite).
  bool Apply(const Eigen::VectorXd& v, Eigen::VectorXd* out) const;
  // diag C.
  bool Diagonal(Eigen::VectorXd* out) const;
  // ½ vᵀCv, NaN when the product failed.
  double QuadraticForm(const Eigen::VectorXd& v) const;
  // Matrix-free products so far (0 for a dense operator).
  int num_products() const { return num_products_; }

 private:
  const Eigen::MatrixXd* matrix_ = nullptr;
  const Eigen::MatrixXd* factor_ = nullptr;
  const Eigen::VectorXd* residuals_ = nullptr;
  Curvature* curvature_ = nullptr;
  const Eigen::VectorXd* theta_ = nullptr;
  const LimitedMemoryBfgs* quasi_newton_ = nullptr;
  int size_ = 0;
  mutable int num_products_ = 0;
};

// True when `options` asks for conjugate gradient at this parameter count.
bool UsesConjugateGradient(const LinearSolverOptions& options,
                           int num_parameters);

// Preconditioned conjugate gradient for C x = rhs (Nocedal & Wright,
// Algorithm 5.3) with the Jacobi preconditioner M = diag(C) (entries floored
// at 1e-12 · max, so a zero diagonal cannot divide by zero), from x = 0,
// stopped when ‖C x − rhs‖ ≤ relative_tolerance · ‖rhs‖ or after
// max_iterations. On a direction of non-positive curvature pᵀCp ≤ 0 it stops
// with the current x, or with M⁻¹rhs at the first iteration (truncated
// Newton, Nocedal & Wright Algorithm 7.1): for rhs = −g the result is then
// always a descent direction. Returns false when a product is not finite.
struct ConjugateGradientResult {
  Eigen::VectorXd solution;
  int num_iterations = 0;
  double residual_norm = 0.0;
  bool converged = false;           // the residual tolerance was met
  bool negative_curvature = false;  // stopped on pᵀCp ≤ 0
};
bool SolveConjugateGradient(const CurvatureOperator& curvature,
                            const Eigen::VectorXd& rhs,
                            double relative_tolerance, int max_iterations,
                            ConjugateGradientResult* result);

// Steihaug–Toint conjugate gradient for the trust-region subproblem
//   min_s  gᵀs + ½ sᵀCs   subject to  ‖D^½ s‖ ≤ radius
// (Nocedal & Wright, Algorithm 7.2, in the scaled variables ŝ = D^½ s, which
// is CG preconditioned by D). From s = 0 it stops when the residual of
// C s = −g falls below relative_tolerance · ‖g‖ (in the D⁻¹ norm), when an
// iterate would leave the region (the step then ends on its boundary), when
// it meets a direction of non-positive curvature (followed to the boundary:
// the model is unbounded along it), or after max_iterations. Matrix-free:
// only products Cv. The step always decreases the model (for g ≠ 0). Returns
// false when a product is not finite or `scaling` is not positive.
struct SteihaugResult {
  Eigen::VectorXd step;
  double scaled_norm = 0.0;  // ‖D^½ s‖
  int num_iterations = 0;
  bool on_boundary = false;  // stopped at ‖D^½ s‖ = radius
  bool negative_curvature = false;
  bool converged = false;  // the residual tolerance was met inside
};
bool SolveSteihaugConjugateGradient(const CurvatureOperator& curvature,
                                    const Eigen::VectorXd& gradient,
                                    const Eigen::VectorXd& scaling,
                                    double radius, double relative_tolerance,
                                    int max_iterations, SteihaugResult* result);

// Solves (C + shift · diag(scaling)) x = rhs by Cholesky of the Jacobi-
// equilibrated matrix D (C + shift·diag(scaling)) D, D = diag(·)^(-1/2).
// Returns false when the shifted matrix is not numerically positive definite:
// a diagonal entry is not positive, the factorization fails, or its smallest
// pivot² is below min_relative_pivot times the largest (a test on the
// equilibrated matrix, so independent of the units of the parameters).
// `scaling` empty means the identity.
bool SolveShiftedCholesky(const Eigen::MatrixXd& curvature,
                          const Eigen::VectorXd& scaling, double shift,
                          const Eigen::VectorXd& rhs, double min_relative_pivot,
                          Eigen::VectorXd* solution);

// The least-squares form of the same solve for C = BᵀB and rhs = −Bᵀb:
//   x = argmin ‖B x + b‖² + shift · Σ_j scaling_j x_j²,
// i.e. (BᵀB + shift·diag(scaling)) x = −Bᵀb, by a Householder QR of the
// stacked matrix [B; diag(√(shift·scaling))] with unit-norm columns, without
// forming BᵀB (Ceres' DENSE_QR does the same): the error grows with cond(B),
// not cond(B)². Returns false when R is numerically singular (smallest
// |R_jj| below min_relative_pivot times the largest — on R itself, not its
// square, since R is the square root of the Cholesky factor's pivots),
// when B has fewer rows than columns and shift = 0 (BᵀB is then singular,
// and the QR has fewer than p pivots), or the solution is not finite.
// `scaling` empty means the identity.
bool SolveShiftedLeastSquares(const Eigen::MatrixXd& factor,
                              const Eigen::VectorXd& residuals,
                              const Eigen::VectorXd& scaling, double shift,
                              double min_relative_pivot,
                              Eigen::VectorXd* solution);

// The Newton-like direction d = −(C + τI)⁻¹ g, with τ = 0 when C is positive
// definite, and otherwise the smallest τ of the geometric sequence of
// LinearSolverOptions that makes it so; d is then a descent direction
// (gᵀd < 0 unless g = 0). Returns false when no shift within the retry budget
// works (e.g. C has non-finite entries).
struct NewtonDirection {
  Eigen::VectorXd direction;
  double shift = 0.0;
  int num_factorizations = 0;
  int num_cg_iterations = 0;  // truncated Newton only
};
bool ComputeNewtonDirection(const Eigen::MatrixXd& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result);

// The same direction for any operator: −H g of its L-BFGS when it has one
// (CurvatureOperator::SetQuasiNewton); Cholesky (above) for a dense one —
// or, when it carries a least-squares factor and
// LinearSolverOptions::use_least_squares_factor is set, the same shifted
// solves by SolveShiftedLeastSquares — and
// for a matrix-free one the truncated-Newton direction of
// SolveConjugateGradient(C, −g) with the inexact-Newton forcing term
// ‖r‖ ≤ min(cg_max_forcing, √‖g‖) ‖g‖ (Nocedal & Wright, eq. 7.3).
bool ComputeNewtonDirection(const CurvatureOperator& curvature,
                            const Eigen::VectorXd& gradient,
                            const LinearSolverOptions& options,
                            NewtonDirection* result);

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_LINEAR_SOLVER_H_
