#ifndef FISHEROPT_OPTIM_SOLVER_OPTIONS_H_
#define FISHEROPT_OPTIM_SOLVER_OPTIONS_H_

#include <string>
#include <vector>

#include "fisher/curvature.h"
#include "optim/iteration_callback.h"

namespace fisheropt {

// Writes "<field> = <value> must be <constraint>" into *error (when not
// null) and returns false: the message of every IsValid below, e.g.
// "DampingOptions::min_gain_ratio = 2 must be in [0, 1)".
bool InvalidOption(const char* field, double value, const char* constraint,
                   std::string* error);
bool InvalidOption(const char* field, int value, const char* constraint,
                   std::string* error);

// When to stop. The three tolerances are defined exactly as Ceres'
// GradientProblemSolver defines them (and take its defaults), so that a
// comparison against Ceres uses the same rules:
//   gradient:  ‖∇L(θ)‖∞ ≤ gradient_tolerance
//   function:  |L_old − L_new| ≤ function_tolerance · |L_old|
//   parameter: ‖Δθ‖₂ ≤ parameter_tolerance · (‖θ‖₂ + parameter_tolerance)
// One departure: function_tolerance = 0 disables the function rule. (With
// Ceres' ≤ it would fire on a change of exactly 0, which at the rounding
// floor of L happens while θ is still converging.)
struct StoppingOptions {
  int max_iterations = 100;
  double max_solver_time_in_seconds = 1e9;
  double function_tolerance = 1e-6;
  double gradient_tolerance = 1e-10;
  double parameter_tolerance = 1e-8;

  bool IsValid(std::string* error) const;
};

// How the step d = −(C + τI)⁻¹ g is solved when C may be indefinite or
// singular: a Cholesky factorization of C + τI, with τ = 0 first and then
// τ = initial_shift_ratio · max|diag C| multiplied by shift_growth per retry
// (Nocedal & Wright, Algorithm 3.3), until the factorization succeeds with
// pivots no smaller than min_relative_pivot relative to the largest.
enum class LinearSolverType {
  // Dense Cholesky of C + τI (the shift described above).
  kCholesky,
  // Truncated Newton: preconditioned conjugate gradient on the matrix-free
  // product Cv (Curvature::Apply), never forming C; stopped by the
  // inexact-Newton forcing rule of cg_forcing below.
  kConjugateGradient,
  // kConjugateGradient when the number of parameters exceeds
  // automatic_cg_threshold, kCholesky otherwise.
  kAutomatic,
};

// "cholesky", "conjugate_gradient", "automatic".
std::string ToString(LinearSolverType type);
bool FromString(const std::string& name, LinearSolverType* type);

// Indefinite or singular curvature (Newton away from the optimum, probit,
// Gaussian with unknown σ) never produces an uphill step:
//   - Cholesky: C + τI is factorized with the smallest τ of the geometric
//     sequence below that makes it numerically positive definite, so
//     d = −(C + τI)⁻¹g satisfies gᵀd < 0;
//   - conjugate gradient: negative curvature pᵀCp ≤ 0 met by CG ends the
//     solve with the last iterate (or −g at the first CG iteration), which
//     is a descent direction (Nocedal & Wright, Algorithm 7.1);
//   - the step controls then only accept a decrease of L (Armijo / Wolfe,
//     gain ratio ρ > threshold), except the fixed rate, which has no
//     globalization by design.
struct LinearSolverOptions {
  LinearSolverType type = LinearSolverType::kCholesky;
  // kAutomatic: parameter counts above this use conjugate gradient.
  int automatic_cg_threshold = 1000;
  // CG stops when ‖r‖ ≤ η‖g‖ with the forcing term
  // η = min(cg_max_forcing, √‖g‖) (Nocedal & Wright, eq. 7.3: superlinear
  // convergence), or after cg_max_iterations (≤ 0: the parameter count).
  double cg_max_forcing = 0.5;
  int cg_max_iterations = 0;
  double initial_shift_ratio = 1e-10;
  double shift_growth = 10.0;
  int max_shift_retries = 20;
  // Dense solves of a curvature C = BᵀB that comes with its least-squares
  // factor B (Gauss–Newton / expected Fisher of nonlinear regression) use a
  // Householder QR of B — error ∝ cond(B) — instead of a Cholesky of C —
  // error ∝ cond(B)² (SolveShiftedLeastSquares). Off: always Cholesky.
  bool use_least_squares_factor = true;
  // Smallest pivot² / largest pivot² of the Cholesky factor before the
  // matrix counts as numerically singular (and is shifted); the QR applies
  // the same bound to |R_jj| / max |R_jj|, as R is not squared.
  double min_relative_pivot = 1e-14;

  bool IsValid(std::string* error) const;
};

enum class StepControlType {
  // Line search from the full step (Armijo backtracking or strong Wolfe,
  // LineSearchOptions::type).
  kLineSearch,
  // (C + λD) d = −g with λ adapted from the gain ratio ρ (Nielsen 1999).
  kLevenbergMarquardt,
  // θ ← θ + η d with a fixed learning rate η: the plain natural gradient.
  kFixedStep,
  // d = −(C + τI)⁻¹g scaled so that ½ sᵀCs ≤ δ (the step's KL divergence to
  // second order, for a Fisher C), δ adapted from the gain ratio ρ.
  kKlTrustRegion,
};

// "line_search", "levenberg_marquardt", "fixed_step", "kl_trust_region":
// the names of the step-control table (optim/step_control.cc).
std::string ToString(StepControlType type);
bool FromString(const std::string& name, StepControlType* type);

enum class LineSearchType {
  // Backtracking until the sufficient decrease (Armijo) condition holds.
  kArmijo,
  // Bracketing and zoom until the strong Wolfe conditions hold (Nocedal &
  // Wright, Algorithms 3.5 and 3.6).
  kWolfe,
};

// "armijo", "wolfe".
std::string ToString(LineSearchType type);
bool FromString(const std::string& name, LineSearchType* type);

// Line search options. Defaults follow Ceres' line search options.
struct LineSearchOptions {
  LineSearchType type = LineSearchType::kArmijo;
  // Armijo: accept α when L(θ + αd) ≤ L(θ) + sufficient_decrease · α gᵀd.
  double sufficient_decrease = 1e-4;
  // Each backtrack picks the minimizer of a quadratic interpolant, clamped to
  // [max_step_contraction · α, min_step_contraction · α].
  double max_step_contraction = 1e-3;
  double min_step_contraction = 0.6;
  // Give up (a failed step) after this many trial points or below this α.
  int max_evaluations = 20;
  double min_step_size = 1e-9;
  // Strong Wolfe curvature condition: |φ'(α)| ≤ sufficient_curvature_decrease
  // · |φ'(0)| (Ceres' default 0.9, the usual value for Newton-like
  // directions). Must exceed sufficient_decrease.
  double sufficient_curvature_decrease = 0.9;
  // Wolfe bracketing: the next trial step is at most max_step_expansion
  // times the current one (Ceres' default 10).
  double max_step_expansion = 10.0;

  bool IsValid(std::string* error) const;
};

enum class DampingScaling {
  kIdentity,  // D = I (Levenberg): λ is in units of the curvature.
  kDiagonal,  // D = diag(C) (Marquardt): scale invariant, λ dimensionless.
};

// Levenberg–Marquardt damping with Nielsen's update (Nielsen 1999; Madsen,
// Nielsen & Tingleff 2004, "Methods for non-linear least squares", §3.2).
struct DampingOptions {
  // Marquardt scaling by default: invariant to the units of the parameters
  // (with D = I, λ₀ follows the largest curvature and columns on small
  // scales are over-damped for many iterations; Ceres scales by the
  // Jacobian's column norms for the same reason).
  DampingScaling scaling = DampingScaling::kDiagonal;
  // λ₀ = initial_damping_ratio · max diag(C) for kIdentity, and
  // λ₀ = initial_damping_ratio for kDiagonal.
  double initial_damping_ratio = 1e-4;
  // Accept a step when ρ = actual / predicted decrease exceeds this.
  double min_gain_ratio = 1e-3;
  // A failed step after this many rejected trial steps in a row.
  int max_consecutive_rejections = 40;
  // Bounds of the Marquardt scaling diag(C) in the Jacobi-scaled
  // coordinates of the first iteration (C_jj / (1 + √C_jj(θ₀))², in [0, 1)
  // at θ₀ for a Gauss–Newton C = JᵀJ); Ceres' min_lm_diagonal and
  // max_lm_diagonal with its defaults (Ceres also fixes its Jacobi scaling
  // at the first iteration).
  double min_diagonal = 1e-6;
  double max_diagonal = 1e32;

  bool IsValid(std::string* error) const;
};

// The fixed-rate step of the plain natural gradient.
struct FixedStepOptions {
  // θ ← θ + learning_rate · d. With d the Fisher-scoring direction, 1 is a
  // full Fisher step; below 1 the error contracts by about (1 − rate) per
  // iteration near the optimum.
  double learning_rate = 0.5;
  // A trial point with a non-finite objective halves the rate for that step,
  // at most this many times before the step fails.
  int max_halvings = 30;

  bool IsValid(std::string* error) const;
};

// The KL trust region of the natural gradient. The direction is the
// Newton-like d = −(C + τI)⁻¹g; the step s = αd with α = min(1, √(δ / q(d))),
// q(s) = ½ sᵀCs, so the KL divergence between the models before and after
// the step, to second order, stays within δ (for a Fisher C; nats on the
// summed scale). Because the trust-region metric is the model's own C, the
// scaled Newton step is the exact minimizer of the quadratic model in the
// region (no dogleg or Steihaug needed). With ρ = actual / predicted decrease
// (Nocedal & Wright, Algorithm 4.1, in KL units):
//   ρ < poor_gain_ratio                 → δ ← shrink_factor · q(s)
//   ρ > good_gain_ratio and q(s) = δ    → δ ← min(growth_factor · δ,
//   max_radius)
// and the step is accepted when ρ > min_gain_ratio; a rejected step is
// retried along the same direction with the smaller δ.
struct KlTrustRegionOptions {
  // δ₀ in nats of summed KL.
  double initial_radius = 1.0;
  double max_radius = 1e12;
  // A step fails once δ falls below min_radius · |L| (both in nats; relative
  // so that a zero-residual fit, L ≈ 1e-25, is not cut off by an absolute
  // floor). Before that, a trial step shorter than the parameter tolerance
  // ends the solve as convergence (StepResult::last_trial_step_norm).
  double min_radius = 1e-32;
  double min_gain_ratio = 1e-3;
  double poor_gain_ratio = 0.25;
  double good_gain_ratio = 0.75;
  // KL units: 1/4 and 4 halve and double the step length (in the C-norm),
  // the factors of Nocedal & Wright's Algorithm 4.1.
  double shrink_factor = 0.25;
  double growth_factor = 4.0;
  // A failed step after this many rejected trial steps in a row.
  int max_consecutive_rejections = 40;

  bool IsValid(std::string* error) const;
};

// What corrects the reused dense C between refreshes with the secant pairs
// of the accepted steps, s = Δθ and y = Δ∇L (exact gradients). With C₀ a
// Fisher matrix this is quasi-Newton with the Fisher as its initial
// Hessian: the pairs correct a stale, subsampled or single-precision Fisher
// toward the Hessian along the path, so the rate is superlinear where plain
// reuse is linear. Matrix-free (conjugate gradient) solves ignore it: they
// have no dense C.
enum class SecantCorrection {
  // C as computed: the chord / Shamanskii method.
  kNone,
  // The BFGS update of C itself after every accepted step
  // (optim/secant_update.h),
  //   C ← C − (Cs)(Cs)ᵀ / (sᵀCs) + y yᵀ / (yᵀs),
  // skipped unless yᵀs > 1e-10·‖s‖‖y‖ (which keeps C positive definite):
  // O(p²) per update plus the factorization the step control does anyway.
  // Every step control works on the updated C. Does nothing at max_age = 1
  // (C is new every iteration).
  kDenseBfgs,
  // L-BFGS on top of C (optim/limited_memory_bfgs.h): C is left as
  // computed, and the direction is −H g of L-BFGS with the last
  // secant_memory pairs and H₀ = γ C⁻¹, γ = sᵀy / (yᵀC⁻¹y) rescaled every
  // iteration. The pairs survive a refresh of C, so it works at any max_age.
  // With C the diagonal of a subsampled Fisher (CurvatureStructure::
  // kDiagonal) this is L-BFGS whose first step has the Fisher's scale; on an
  // isotropic design it beats the dense update, whose H₀ = C keeps the
  // subset's sampling noise in every direction it has not yet seen. For the
  // line search and the fixed step only: Levenberg–Marquardt and the KL
  // trust region judge their steps by the quadratic model of C itself
  // (C + λD, ½dᵀCd), which is not the model of the L-BFGS direction.
  kLimitedMemoryBfgs,
};

// "none", "dense_bfgs", "limited_memory_bfgs".
std::string ToString(SecantCorrection correction);
bool FromString(const std::string& name, SecantCorrection* correction);

// When the solver computes the dense curvature matrix C, and how it corrects
// a reused one (optim/curvature_schedule.h). Reusing C across iterations is
// the chord / Shamanskii variant of Newton's method: every step still
// solves with the exact gradient at the current point, so the fixed point —
// the exact optimum — is unchanged; a stale C only slows the rate from
// quadratic to linear, while an iteration then costs one gradient pass
// instead of a curvature evaluation (for a GLM an O(Np) pass instead of
// O(Np²)). C is recomputed when it is max_age iterations old, or as soon as
// a step did not contract the gradient enough: ‖g_k‖ > max_gradient_ratio ·
// ‖g_{k−1}‖. A step that fails with a reused C (or with L-BFGS pairs) is
// retried once with a fresh C and no pairs. Matrix-free (conjugate
// gradient) solves always use the current point. The defaults compute C
// anew every iteration, uncorrected.
struct CurvatureReuseOptions {
  // 1: a new C every iteration (no reuse, the default).
  int max_age = 1;
  double max_gradient_ratio = 0.5;
  SecantCorrection secant_correction = SecantCorrection::kNone;
  // kLimitedMemoryBfgs: the number of (s, y) pairs kept (Ceres'
  // max_lbfgs_rank default, 20).
  int secant_memory = 20;

  bool IsValid(std::string* error) const;
};

// Options in: one nested struct per strategy. The options of a step control
// are checked by its own file (LineSearchOptions::IsValid in
// line_search.cc, DampingOptions in levenberg_marquardt.cc, ...), all of
// them through the step-control table (optim/step_control.cc).
struct SolverOptions {
  CurvatureOptions curvature;
  CurvatureReuseOptions curvature_reuse;
  StepControlType step_control = StepControlType::kLineSearch;
  LineSearchOptions line_search;
  DampingOptions damping;
  FixedStepOptions fixed_step;
  KlTrustRegionOptions kl_trust_region;
  LinearSolverOptions linear_solver;
  StoppingOptions stopping;
  // Called after every iteration, in order; not owned. The first that
  // returns other than kContinue ends the solve.
  std::vector<IterationCallback*> callbacks;

  // Checks every nested options struct; the message names the field, its
  // value and the broken constraint.
  bool IsValid(std::string* error) const;
};

}  // namespace fisheropt

#endif  // FISHEROPT_OPTIM_SOLVER_OPTIONS_H_
